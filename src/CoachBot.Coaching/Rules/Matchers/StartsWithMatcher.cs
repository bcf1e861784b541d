using CoachBot.Coaching.Text;

namespace CoachBot.Coaching.Rules.Matchers;

/// <summary><c>starts_with:</c>: the unit's main sentence opens with one of the phrases, after fillers such as "so" or "ok".</summary>
internal sealed class StartsWithMatcher(int set, Analyzer analyzer) : Matcher
{
    public override bool IsMatch(Unit unit)
    {
        if (!unit.Has(set))
        {
            return false;
        }

        var sentence = unit.View.Sentences[unit.MainSentence];
        var start = analyzer.SkipFillers(unit.View, sentence.TokenStart, sentence.TokenEnd);
        return analyzer.Index.MatchAt(set, unit.View, start, sentence.TokenEnd) > 0;
    }
}
