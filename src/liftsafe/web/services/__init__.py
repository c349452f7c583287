"""Web services: each public function is one unit of work and owns its transaction."""
