using CoachBot.Coaching.Notes;
using CoachBot.Coaching.Questions;
using CoachBot.Coaching.Rules.Matchers;
using CoachBot.Coaching.Text;

namespace CoachBot.Coaching.Rules;

/// <summary>Turns <see cref="MatchSpec"/>s into matchers, registering every phrase list with the shared index.</summary>
internal sealed class RuleCompiler(PhraseIndex index, IReadOnlyDictionary<string, List<string>> lexicon, Func<Analyzer> analyzer, List<RulePackError> errors)
{
    private readonly Dictionary<string, int> _lexiconSets = new(StringComparer.Ordinal);

    public int LexiconSet(string name) =>
        _lexiconSets.TryGetValue(name, out var set) ? set : _lexiconSets[name] = index.AddSet(lexicon[name]);

    /// <param name="readsContext">True for <c>unless</c> rescues: phrases and regexes also read the statements around a question.</param>
    public Matcher? Compile(MatchSpec spec, string file, bool readsContext = false)
    {
        var parts = new List<Matcher>();
        if (spec.Phrases is { } phrases)
        {
            parts.Add(new PhraseMatcher(index.AddSet(phrases), readsContext));
        }

        if (spec.Lexicon is { } names)
        {
            var known = names.Where(n => Known(n, file, spec.Field + ".lexicon")).ToList();
            parts.Add(known.Count == 1
                ? new PhraseMatcher(LexiconSet(known[0]), readsContext)
                : new AnyMatcher(known.Select(n => new PhraseMatcher(LexiconSet(n), readsContext))));
        }

        if (spec.StartsWith is { } starts)
        {
            parts.Add(new LazyStartsWith(index.AddSet(starts), analyzer));
        }

        if (spec.Regex is { } pattern && BuildRegex(pattern, file, spec.Field + ".regex", readsContext) is { } regex)
        {
            parts.Add(regex);
        }

        if (spec.SequenceSteps is { } steps)
        {
            if (steps.Count < 2)
            {
                errors.Add(new RulePackError(file, spec.Field + ".sequence.steps", "needs at least two steps"));
            }
            else
            {
                var sets = steps.Select(s => index.AddSet(s.Split('|', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))).ToArray();
                parts.Add(new SequenceMatcher(sets, spec.SequenceMaxGap, index));
            }
        }

        if (spec.CountOf is { } of && CompileCount(spec, of, file) is { } count)
        {
            parts.Add(count);
        }

        if (spec.QuestionTypes is { } types)
        {
            var mask = QuestionType.None;
            foreach (var type in types)
            {
                if (ParseQuestionType(type) is { } parsed)
                {
                    mask |= parsed;
                }
                else
                {
                    errors.Add(new RulePackError(file, spec.Field + ".question_type",
                        $"'{type}' is not one of open, closed, leading, self-serving, implication, need-payoff, insight, status-quo"));
                }
            }

            parts.Add(new QuestionTypeMatcher(mask));
        }

        if (spec.NoteMissing is not null || spec.NoteHas is not null || spec.NoteGoalIs is not null)
        {
            var missing = Elements(spec.NoteMissing, file, spec.Field + ".note.missing");
            var has = Elements(spec.NoteHas, file, spec.Field + ".note.has");
            GoalKind? goal = null;
            if (spec.NoteGoalIs is { } goalText)
            {
                goal = goalText switch
                {
                    "continuation" => GoalKind.Continuation,
                    "advance" => GoalKind.Advance,
                    "information" => GoalKind.Information,
                    "stated" => GoalKind.Stated,
                    _ => null,
                };
                if (goal is null)
                {
                    errors.Add(new RulePackError(file, spec.Field + ".note.goal_is", $"'{goalText}' is not one of continuation, advance, information, stated"));
                }
            }

            parts.Add(new NoteMatcher(missing, has, goal));
        }

        if (spec.Any is { } any)
        {
            parts.Add(new AnyMatcher(any.Select(a => Compile(a, file, readsContext)).OfType<Matcher>()));
        }

        if (spec.Not is { } not && Compile(not, file, readsContext) is { } inner)
        {
            parts.Add(new NotMatcher(inner));
        }

        return parts.Count switch
        {
            0 => null,
            1 => parts[0],
            _ => new AllMatcher(parts),
        };
    }

    private CountMatcher? CompileCount(MatchSpec spec, string of, string file)
    {
        var field = spec.Field + ".count";
        if (spec.CountMin > spec.CountMax)
        {
            errors.Add(new RulePackError(file, field, $"min ({spec.CountMin}) is more than max ({spec.CountMax})"));
            return null;
        }

        switch (of)
        {
            case "questions": return new CountMatcher(CountOf.Questions, spec.CountMin, spec.CountMax, -1, null);
            case "sentences": return new CountMatcher(CountOf.Sentences, spec.CountMin, spec.CountMax, -1, null);
            case "words": return new CountMatcher(CountOf.Words, spec.CountMin, spec.CountMax, -1, null);
            case "phrases" when spec.CountPhrases is { Count: > 0 } phrases:
                return new CountMatcher(CountOf.Phrases, spec.CountMin, spec.CountMax, index.AddSet(phrases), null);
            case "regex" when spec.CountRegex is { } pattern:
                return BuildRegex(pattern, file, field + ".regex") is { } regex
                    ? new CountMatcher(CountOf.Regex, spec.CountMin, spec.CountMax, -1, regex)
                    : null;
            case "phrases":
                errors.Add(new RulePackError(file, field + ".phrases", "is required when counting phrases"));
                return null;
            case "regex":
                errors.Add(new RulePackError(file, field + ".regex", "is required when counting regex matches"));
                return null;
            default:
                errors.Add(new RulePackError(file, field + ".of", $"'{of}' is not one of questions, sentences, words, phrases, regex"));
                return null;
        }
    }

    private RegexMatcher? BuildRegex(string pattern, string file, string field, bool readsContext = false)
    {
        try
        {
            return new RegexMatcher(RegexMatcher.Build(pattern), readsContext);
        }
        catch (ArgumentException ex)
        {
            errors.Add(new RulePackError(file, field, "not a valid regular expression: " + ex.Message));
            return null;
        }
    }

    private bool Known(string name, string file, string field)
    {
        if (lexicon.ContainsKey(name))
        {
            return true;
        }

        errors.Add(new RulePackError(file, field, $"no lexicon list is named '{name}'"));
        return false;
    }

    private NoteElement Elements(List<string>? names, string file, string field)
    {
        var elements = NoteElement.None;
        foreach (var name in names ?? [])
        {
            elements |= name switch
            {
                "goal" => NoteElement.Goal,
                "customer_action" => NoteElement.CustomerAction,
                "next_step" => NoteElement.NextStep,
                "time" => NoteElement.Time,
                _ => Unknown(name),
            };
        }

        return elements;

        NoteElement Unknown(string name)
        {
            errors.Add(new RulePackError(file, field, $"'{name}' is not one of goal, customer_action, next_step, time"));
            return NoteElement.None;
        }
    }

    private static QuestionType? ParseQuestionType(string text) => text switch
    {
        "open" => QuestionType.Open,
        "closed" => QuestionType.Closed,
        "leading" => QuestionType.Leading,
        "self-serving" => QuestionType.SelfServing,
        "implication" => QuestionType.Implication,
        "need-payoff" => QuestionType.NeedPayoff,
        "insight" => QuestionType.Insight,
        "status-quo" => QuestionType.StatusQuo,
        _ => null,
    };

    // The analyzer is built after every phrase set is registered, so starts_with finds it on first use.
    private sealed class LazyStartsWith(int set, Func<Analyzer> analyzer) : Matcher
    {
        private StartsWithMatcher? _inner;

        public override bool IsMatch(Unit unit) => (_inner ??= new StartsWithMatcher(set, analyzer())).IsMatch(unit);
    }
}
