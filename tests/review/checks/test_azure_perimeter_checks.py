from __future__ import annotations

from check_helpers import BICEP, only, res, run

from lockgate.review.checks import azure_perimeter as p
from lockgate.review.model import Status, Unresolved

ACCOUNT = res(
    "Microsoft.CognitiveServices/accounts",
    "acct",
    {"kind": "OpenAI", "properties": {}},
    BICEP,
)


def _group(rule: dict[str, object], action: str = "Allow") -> object:
    return res(
        "Microsoft.Network/firewallPolicies/ruleCollectionGroups",
        "policy::rules",
        {
            "properties": {
                "ruleCollections": [
                    {"action": {"type": action}, "rules": [rule]},
                ]
            }
        },
        BICEP,
    )


def test_application_rule_for_every_fqdn_fails() -> None:
    found = run(
        p.firewall_rules,
        ACCOUNT,
        _group({"ruleType": "ApplicationRule", "targetFqdns": ["*"]}),
    )

    assert [f.status for f in found] == [Status.FAIL]
    assert "every FQDN" in found[0].message


def test_network_rule_for_any_address_and_port_fails_named_rule_passes() -> None:
    anything = _group({"destinationAddresses": ["*"], "destinationPorts": ["*"]})
    named = _group(
        {"ruleType": "ApplicationRule", "targetFqdns": ["x.openai.azure.com"]}
    )
    denied = _group({"targetFqdns": ["*"]}, action="Deny")

    assert [f.status for f in run(p.firewall_rules, ACCOUNT, anything)] == [Status.FAIL]
    assert [f.status for f in run(p.firewall_rules, ACCOUNT, named)] == [Status.PASS]
    assert [f.status for f in run(p.firewall_rules, ACCOUNT, denied)] == [Status.PASS]


def test_firewall_rules_are_judged_only_next_to_an_ai_account() -> None:
    assert run(p.firewall_rules, _group({"targetFqdns": ["*"]})) == []


def test_telemetry_sink_public_ingestion() -> None:
    def workspace(value: object | None) -> object:
        properties = {} if value is None else {"publicNetworkAccessForIngestion": value}
        return res(
            "Microsoft.OperationalInsights/workspaces",
            "ws",
            {"properties": properties},
            BICEP,
        )

    assert only(p.telemetry_sinks, ACCOUNT, workspace("Enabled")).status is Status.FAIL
    assert only(p.telemetry_sinks, ACCOUNT, workspace(None)).status is Status.FAIL
    assert only(p.telemetry_sinks, ACCOUNT, workspace("Disabled")).status is Status.PASS
    assert (
        only(p.telemetry_sinks, ACCOUNT, workspace(Unresolved("p", "r"))).status
        is Status.UNRESOLVED
    )
