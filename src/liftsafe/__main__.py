from liftsafe.cli import main

main()
