using CoachBot.Coaching.Text;

namespace CoachBot.Coaching.Rules.Matchers;

/// <summary>What a <c>count:</c> condition counts.</summary>
internal enum CountOf
{
    Questions,
    Sentences,
    Words,
    Phrases,
    Regex,
}

/// <summary><c>count:</c>: the number of questions, sentences, words, phrase hits or regex matches is within [min, max].</summary>
internal sealed class CountMatcher(CountOf of, int min, int max, int set, RegexMatcher? regex) : Matcher
{
    public override int Cost => of == CountOf.Regex ? 10 : 1;

    public override bool IsMatch(Unit unit)
    {
        var count = of switch
        {
            CountOf.Questions => unit.QuestionCount,
            CountOf.Sentences => unit.SentenceCount,
            CountOf.Words => unit.TokenEnd - unit.TokenStart,
            CountOf.Phrases => unit.Counts[set],
            CountOf.Regex => regex!.CountIn(unit),
            _ => 0,
        };
        return count >= min && count <= max;
    }
}
