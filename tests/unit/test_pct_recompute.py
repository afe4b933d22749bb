"""pct-recompute and pct-zero-base on claims taken from the seed disclosure."""

from decimal import Decimal

from tasks.checks import pct_recompute, pct_zero_base
from tasks.checks.base import Context, DocData
from tasks.compare import checks_config
from tasks.contracts import Base, Claim, Severity


def claim(subject, amount, change, pct, pct_decimals=2):
    return Claim(
        claim_id="p1-1", section="二", scope="income", subject=subject, code=None,
        amount=Decimal(amount), change_amount=Decimal(change), change_pct=Decimal(pct),
        share_pct=None, base=Base.PRIOR_BUDGET, reason=None, page=7, text=f"{subject}…",
        amount_decimals=2, change_decimals=2, pct_decimals=pct_decimals)


def run(rule, *claims):
    doc = DocData("d", "xj-hrss", 2025, "budget", "厅", claims=list(claims))
    return list(rule.run(Context(doc, None, checks_config())))


def test_seed_percentage_is_accepted():
    # 42,040.53 + 8,524.52 = 50,565.05; 8,524.52 / 50,565.05 = 16.8585% -> 16.86%
    assert run(pct_recompute, claim("一般公共预算", "42040.53", "-8524.52", "-16.86")) == []


def test_large_percentage_on_a_small_base_is_accepted():
    # 博士后日常经费: 300.00, +295.50 on 4.50 -> 6,566.67%
    assert run(pct_recompute, claim("博士后日常经费", "300.00", "295.50", "6566.67")) == []


def test_percentage_reachable_only_inside_the_rounding_box_is_accepted():
    # 0.01 / 0.02 = 50%, but with ±0.005 on both the prior can be 0.015..0.025
    assert run(pct_recompute, claim("x", "0.03", "0.01", "40.00")) == []


def test_wrong_percentage_is_an_error_with_evidence():
    (finding,) = run(pct_recompute, claim("单位资金", "1890.00", "90.00", "5.26"))
    assert (finding.rule, finding.severity) == ("pct-recompute", Severity.ERROR)
    assert (finding.stated, finding.expected, finding.page) == ("5.26%", "5.00%", 7)
    assert finding.evidence == "单位资金…"


def test_truncated_instead_of_rounded_is_info():
    # 8,524.52 / 50,565.05 = 16.8585%: printing 16.85 is truncation, not a material error
    (finding,) = run(pct_recompute, claim("一般公共预算", "42040.53", "-8524.52", "-16.85"))
    assert finding.severity == Severity.INFO


def test_percentage_on_zero_base_is_undefined():
    zero = claim("就业管理事务", "50.00", "50.00", "100.00")
    assert run(pct_recompute, zero) == []
    (finding,) = run(pct_zero_base, zero)
    assert (finding.severity, finding.stated, finding.expected) == (
        Severity.WARNING, "100.00%", "undefined")


def test_unchanged_zero_is_not_a_finding():
    assert run(pct_zero_base, claim("公务用车购置费", "0.00", "0.00", "0.00")) == []
