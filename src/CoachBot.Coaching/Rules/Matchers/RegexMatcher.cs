using System.Text.RegularExpressions;
using CoachBot.Coaching.Text;

namespace CoachBot.Coaching.Rules.Matchers;

/// <summary>
/// <c>regex:</c>. Built once at load; a pattern from an organisation's folder can never hang the bot
/// (see <see cref="Build"/>); a backtracking pattern that times out counts as no match.
/// </summary>
internal sealed class RegexMatcher(Regex regex, bool readsContext = false) : Matcher
{
    /// <summary>The limit for patterns the linear-time engine cannot run (lookarounds, backreferences).</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(1);

    private const RegexOptions Common = RegexOptions.IgnoreCase | RegexOptions.CultureInvariant;

    /// <summary>
    /// Builds a pattern once. The non-backtracking engine runs in linear time, so no input can make
    /// it slow and no timeout can turn a busy moment into a silent "no match"; only patterns it
    /// cannot run fall back to the backtracking engine, bounded by <see cref="Timeout"/>.
    /// </summary>
    public static Regex Build(string pattern)
    {
        Regex regex;
        try
        {
            regex = new Regex(pattern, Common | RegexOptions.NonBacktracking);
        }
        catch (NotSupportedException)
        {
            regex = new Regex(pattern, Common | RegexOptions.Compiled, Timeout);
        }

        // The first match builds the engine's state (or JIT-compiles the pattern); do it at load, not on a rep's message.
        regex.IsMatch("warm up");
        return regex;
    }

    public Regex Regex { get; } = regex;

    public override int Cost => 10;

    public override bool IsMatch(Unit unit)
    {
        try
        {
            return Regex.IsMatch(readsContext ? unit.ContextSpan : unit.Span);
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
