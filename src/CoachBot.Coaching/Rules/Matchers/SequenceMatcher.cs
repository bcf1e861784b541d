using CoachBot.Coaching.Text;

namespace CoachBot.Coaching.Rules.Matchers;

/// <summary>
/// <c>sequence:</c>: each step's phrases occur in order, each step starting at most
/// <c>max_gap</c> words after the previous one ended ("if we ... could ... would you").
/// </summary>
internal sealed class SequenceMatcher(int[] steps, int maxGap, PhraseIndex index) : Matcher
{
    public override int Cost => 5;

    public override bool IsMatch(Unit unit)
    {
        foreach (var step in steps)
        {
            if (!unit.Has(step))
            {
                return false;
            }
        }

        for (var t = unit.TokenStart; t < unit.TokenEnd; t++)
        {
            var length = index.MatchAt(steps[0], unit.View, t, unit.TokenEnd);
            if (length > 0 && Continues(unit, 1, t + length))
            {
                return true;
            }
        }

        return false;
    }

    private bool Continues(Unit unit, int step, int from)
    {
        if (step == steps.Length)
        {
            return true;
        }

        var last = Math.Min(unit.TokenEnd - 1, from + maxGap);
        for (var t = from; t <= last; t++)
        {
            var length = index.MatchAt(steps[step], unit.View, t, unit.TokenEnd);
            if (length > 0 && Continues(unit, step + 1, t + length))
            {
                return true;
            }
        }

        return false;
    }
}
