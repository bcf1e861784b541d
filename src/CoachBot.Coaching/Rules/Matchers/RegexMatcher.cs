using System.Text.RegularExpressions;
using CoachBot.Coaching.Text;

namespace CoachBot.Coaching.Rules.Matchers;

/// <summary>
/// <c>regex:</c>. Built once at load with a match timeout, so a pattern from an organisation's
/// folder can never hang the bot; a pattern that times out counts as no match.
/// </summary>
internal sealed class RegexMatcher(Regex regex) : Matcher
{
    public static readonly TimeSpan Timeout = TimeSpan.FromMilliseconds(250);

    public Regex Regex { get; } = regex;

    public override int Cost => 10;

    public static Regex Build(string pattern)
    {
        var regex = new Regex(pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled, Timeout);

        // The first match JIT-compiles the pattern's code; doing it here keeps that cost out of the
        // timeout of a rep's first message, where a slow start would silently read as "no match".
        regex.IsMatch("warm up");
        return regex;
    }

    public override bool IsMatch(Unit unit)
    {
        try
        {
            return Regex.IsMatch(unit.Span);
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }

    public int CountIn(Unit unit)
    {
        try
        {
            return Regex.Count(unit.Span);
        }
        catch (RegexMatchTimeoutException)
        {
            return 0;
        }
    }
}
