"""The terminal lists not-checked faults grouped by reason, each reason once."""

from liftsafe.report.terminal import grouped_not_checked


def test_not_checked_faults_are_grouped_by_reason_in_first_seen_order():
    rows = [
        {"code": "load_far_from_body", "reason": "noisy", "kind": "false_alarm_budget"},
        {"code": "lateral_shift", "reason": "seen only from the front", "kind": "camera_view"},
        {"code": "heels_rise", "reason": "noisy", "kind": "false_alarm_budget"},
        {"code": "asymmetry", "reason": "far leg [hidden]", "kind": "occlusion"},
    ]
    assert grouped_not_checked(rows) == (
        "load far from body, heels rise (noisy); lateral shift (seen only from the front); "
        "asymmetry (far leg \\[hidden])"  # rich markup in a reason is escaped
    )
    assert grouped_not_checked([]) == ""
