using CoachBot.Coaching.Text;

namespace CoachBot.Coaching.Rules.Matchers;

/// <summary>Every condition holds; cheapest first, so most rules stop at a phrase count.</summary>
internal sealed class AllMatcher(IEnumerable<Matcher> matchers) : Matcher
{
    private readonly Matcher[] _matchers = [.. matchers.OrderBy(m => m.Cost)];

    public override int Cost => _matchers.Length == 0 ? 0 : _matchers.Max(m => m.Cost);

    public override bool IsMatch(Unit unit)
    {
        foreach (var matcher in _matchers)
        {
            if (!matcher.IsMatch(unit))
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary><c>any:</c> and <c>unless:</c>: at least one condition holds.</summary>
internal sealed class AnyMatcher(IEnumerable<Matcher> matchers) : Matcher
{
    private readonly Matcher[] _matchers = [.. matchers.OrderBy(m => m.Cost)];

    public override int Cost => _matchers.Length == 0 ? 0 : _matchers.Max(m => m.Cost);

    public override bool IsMatch(Unit unit)
    {
        foreach (var matcher in _matchers)
        {
            if (matcher.IsMatch(unit))
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary><c>not:</c>: the condition does not hold.</summary>
internal sealed class NotMatcher(Matcher inner) : Matcher
{
    public override int Cost => inner.Cost;

    public override bool IsMatch(Unit unit) => !inner.IsMatch(unit);
}
