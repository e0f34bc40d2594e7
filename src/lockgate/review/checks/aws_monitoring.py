"""Metrics, dashboards and alarms built on an AWS deployment's logs.

Metric filters turn log lines (guardrail interventions, errors) into metrics; a
dashboard shows them; only an alarm tells someone when they move.
"""

from __future__ import annotations

from lockgate.review.model import Finding, Resource, Status

from .support import Check, CheckContext, finding, mentions, strings_in

FILTER_TYPES = ("aws_cloudwatch_log_metric_filter", "AWS::Logs::MetricFilter")
DASHBOARD_TYPES = ("aws_cloudwatch_dashboard", "AWS::CloudWatch::Dashboard")
ALARM_TYPES = (
    "aws_cloudwatch_metric_alarm",
    "AWS::CloudWatch::Alarm",
    "aws_cloudwatch_composite_alarm",
)


def metrics_from_logs(context: CheckContext) -> list[Finding]:
    """LG-OBS-103: metric filters and dashboards read the deployment's logs."""
    findings = []
    for resource in context.declared(*FILTER_TYPES, *DASHBOARD_TYPES):
        what = "dashboard" if resource.type in DASHBOARD_TYPES else "metric filter"
        findings.append(
            finding(
                "LG-OBS-103",
                Status.PASS,
                f"{resource.address}: {what} over the deployment's logs",
                resource,
                evidence=[f"{resource.address} ({resource.location})"],
            )
        )
    return findings


def alarms_on_metrics(context: CheckContext) -> list[Finding]:
    """LG-OBS-104: every metric the deployment extracts has an alarm."""
    filters = context.declared(*FILTER_TYPES)
    if not filters:
        return []
    alarms = context.declared(*ALARM_TYPES)
    findings = []
    unwatched = []
    for metric_filter in filters:
        alarm = next((a for a in alarms if _watches(a, metric_filter)), None)
        if alarm is None:
            unwatched.append(metric_filter.address)
            continue
        findings.append(
            finding(
                "LG-OBS-104",
                Status.PASS,
                f"{metric_filter.address}: {alarm.address} alarms on its metric",
                metric_filter,
                evidence=[f"{alarm.address} ({alarm.location})"],
            )
        )
    if unwatched:
        findings.append(_no_alarm(context, unwatched, bool(alarms)))
    return findings


def _no_alarm(context: CheckContext, unwatched: list[str], any_alarm: bool) -> Finding:
    message = f"no alarm on the metrics of {', '.join(unwatched)}"
    if not any_alarm:
        message = f"no metric alarm in the reviewed code: {message}"
    return finding(
        "LG-OBS-104",
        Status.FAIL,
        message,
        evidence=[f"metric filters without an alarm: {', '.join(unwatched)}"],
        language=context.language("LG-OBS-104"),
    )


def _watches(alarm: Resource, metric_filter: Resource) -> bool:
    names = {
        s
        for s in strings_in(
            metric_filter.get("metric_transformation")
            or metric_filter.get("MetricTransformations")
        )
    }
    if mentions(alarm.attributes, metric_filter):
        return True
    wanted = alarm.get("metric_name") or alarm.get("MetricName")
    return isinstance(wanted, str) and wanted in names


CHECKS: tuple[Check, ...] = (metrics_from_logs, alarms_on_metrics)
