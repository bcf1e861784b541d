using CoachBot.Coaching.Messages;
using CoachBot.Coaching.Notes;
using CoachBot.Coaching.Questions;

namespace CoachBot.Coaching.Text;

/// <summary>
/// Reads a rep's text into units for the rules: detects whether it is a question, a call note or
/// a message, splits questions apart, classifies each question and reads call notes. Everything it
/// knows about words comes from the lexicon's reserved lists.
/// </summary>
internal sealed class Analyzer
{
    // How far after "get", "secure" or "walk away with" the thing gained may appear ("get her agreement").
    private const int AcquireReach = 6;

    private readonly Vocabulary _vocabulary;
    private readonly PhraseIndex _index;
    private readonly int _accepted;
    private readonly int _callWords;
    private readonly int _fillers, _closed, _open, _pronouns, _leading, _implication, _needPayoff, _insight, _statusQuo,
        _selfServing, _valueToCustomer, _goalMarkers, _advance, _acquire, _outcome, _information,
        _continuation, _time, _greetings, _signoffs, _secondPerson;

    public Analyzer(Vocabulary vocabulary, PhraseIndex index, IReadOnlyDictionary<string, int> reserved, int acceptedSet)
    {
        _vocabulary = vocabulary;
        _index = index;
        _accepted = acceptedSet;
        _fillers = reserved[ReservedLists.Fillers];
        _closed = reserved[ReservedLists.ClosedOpeners];
        _open = reserved[ReservedLists.OpenOpeners];
        _pronouns = reserved[ReservedLists.Pronouns];
        _leading = reserved[ReservedLists.Leading];
        _implication = reserved[ReservedLists.Implication];
        _needPayoff = reserved[ReservedLists.NeedPayoff];
        _insight = reserved[ReservedLists.Insight];
        _statusQuo = reserved[ReservedLists.StatusQuo];
        _selfServing = reserved[ReservedLists.SelfServing];
        _valueToCustomer = reserved[ReservedLists.ValueToCustomer];
        _goalMarkers = reserved[ReservedLists.GoalMarkers];
        _callWords = reserved[ReservedLists.CallWords];
        _advance = reserved[ReservedLists.Advance];
        _acquire = reserved[ReservedLists.Acquire];
        _outcome = reserved[ReservedLists.Outcome];
        _information = reserved[ReservedLists.Information];
        _continuation = reserved[ReservedLists.Continuation];
        _time = reserved[ReservedLists.Time];
        _greetings = reserved[ReservedLists.Greetings];
        _signoffs = reserved[ReservedLists.Signoffs];
        _secondPerson = reserved[ReservedLists.SecondPerson];
    }

    public PhraseIndex Index => _index;

    public TextView Read(string plain)
    {
        var view = TextView.Read(plain, _vocabulary);
        if (_accepted >= 0)
        {
            MaskAccepted(view);
        }

        return view;
    }

    public int[] CountWhole(TextView view) => CountRange(view, 0, view.Tokens.Length);

    public int[] CountRange(TextView view, int start, int end)
    {
        // Rented: a unit's counts live only while the rules read it; RuleEngine returns them after each text.
        var counts = System.Buffers.ArrayPool<int>.Shared.Rent(_index.SetCount);
        Span<int> lastHit = _index.SetCount <= 512 ? stackalloc int[_index.SetCount] : new int[_index.SetCount];
        _index.Count(view, start, end, counts.AsSpan(0, _index.SetCount), lastHit);
        return counts;
    }

    public InputKind DetectKind(TextView view, int[] counts)
    {
        var sentences = view.Sentences;
        if (sentences.Length == 0)
        {
            return InputKind.Question;
        }

        var tokenCount = view.Tokens.Length;
        if (tokenCount > 3 && _index.MatchAt(_greetings, view, 0, Math.Min(tokenCount, 3)) > 0)
        {
            return InputKind.Message;
        }

        var last = sentences[^1];
        if (sentences.Length > 1 && _index.MatchAt(_signoffs, view, last.TokenStart, last.TokenEnd) > 0
            && last.TokenEnd - last.TokenStart <= 4)
        {
            return InputKind.Message;
        }

        var questions = sentences.Count(s => s.IsQuestion);

        // A plan that opens with the call ("Call with Acme Thursday. Questions to ask: ...") is a call
        // note even when the questions it lists outnumber its statements.
        if (questions > 0 && !sentences[0].IsQuestion && sentences.Length > 1
            && (counts[_goalMarkers] > 0 || _index.Contains(_callWords, view, sentences[0].TokenStart, sentences[0].TokenEnd)))
        {
            return InputKind.CallNote;
        }

        if (questions > 0 && (last.IsQuestion || questions * 2 >= sentences.Length))
        {
            return InputKind.Question;
        }

        var secondPerson = counts[_secondPerson] > 0;
        if (questions == 0 && sentences.Length == 1)
        {
            var start = SkipFillers(view, last.TokenStart, last.TokenEnd);
            var closed = _index.MatchAt(_closed, view, start, last.TokenEnd);
            if (_index.MatchAt(_open, view, start, last.TokenEnd) > 0
                || (closed > 0 && _index.MatchAt(_pronouns, view, start + closed, last.TokenEnd) > 0))
            {
                return InputKind.Question;
            }
        }

        if (secondPerson)
        {
            return InputKind.Message;
        }

        return questions > 0 ? InputKind.Question : InputKind.CallNote;
    }

    /// <summary>
    /// The units rules read. A question input gives one unit per question (with the statements
    /// around it); a note or message gives the whole text, then each question inside it alone.
    /// </summary>
    public List<Unit> Units(TextView view, InputKind kind, int[] wholeCounts)
    {
        var units = new List<Unit>(4);
        var sentences = view.Sentences;
        if (sentences.Length == 0)
        {
            return units;
        }

        if (kind != InputKind.Question)
        {
            units.Add(new Unit(this, view, kind, false, 0, 0, sentences.Length - 1, wholeCounts));
        }

        var lastQuestion = -1;
        for (var s = sentences.Length - 1; s >= 0 && lastQuestion < 0; s--)
        {
            lastQuestion = sentences[s].IsQuestion ? s : -1;
        }

        if (lastQuestion < 0)
        {
            if (kind == InputKind.Question)
            {
                units.Add(new Unit(this, view, kind, true, 0, 0, sentences.Length - 1, wholeCounts));
            }

            return units;
        }

        var from = 0;
        for (var s = 0; s < sentences.Length; s++)
        {
            if (!sentences[s].IsQuestion)
            {
                continue;
            }

            // In a question input the statements around a question belong to it ("So my proposal fits
            // your plan: how do decisions get made?"); in a note or message they are about other things.
            var first = kind == InputKind.Question ? from : s;
            var lastSentence = kind == InputKind.Question && s == lastQuestion ? sentences.Length - 1 : s;
            var counts = first == 0 && lastSentence == sentences.Length - 1
                ? wholeCounts
                : CountRange(view, sentences[first].TokenStart, sentences[lastSentence].TokenEnd);

            // Rescues also read the statements right after the question (up to the next question),
            // and in a note or message the statement just before it.
            var contextLast = lastSentence;
            while (contextLast + 1 < sentences.Length && !sentences[contextLast + 1].IsQuestion)
            {
                contextLast++;
            }

            var contextFirst = first > 0 && kind != InputKind.Question && !sentences[first - 1].IsQuestion ? first - 1 : first;
            units.Add(new Unit(this, view, kind, true, first, s, lastSentence, counts) { ContextFirst = contextFirst, ContextLast = contextLast });
            from = s + 1;
        }

        return units;
    }

    public int SkipFillers(TextView view, int position, int end)
    {
        for (var guard = 0; guard < 4 && position < end; guard++)
        {
            var length = _index.MatchAt(_fillers, view, position, end);
            if (length == 0)
            {
                break;
            }

            position += length;
        }

        return position;
    }

    public QuestionType Classify(Unit unit)
    {
        var view = unit.View;
        var sentence = view.Sentences[unit.MainSentence];
        var start = SkipFillers(view, sentence.TokenStart, sentence.TokenEnd);
        var types = QuestionType.None;

        // "Could you walk me through..." opens like a yes/no question but asks for an account: open wins at the start.
        if (_index.MatchAt(_open, view, start, sentence.TokenEnd) > 0)
        {
            types |= QuestionType.Open;
        }
        else if (_index.MatchAt(_closed, view, start, sentence.TokenEnd) > 0)
        {
            types |= QuestionType.Closed;
        }
        else if (_index.Contains(_open, view, start, sentence.TokenEnd))
        {
            types |= QuestionType.Open;
        }

        if (unit.Has(_leading) || IsTagQuestion(view, sentence))
        {
            types |= QuestionType.Leading;
        }

        if (unit.Has(_implication))
        {
            types |= QuestionType.Implication;
        }

        if (unit.Has(_needPayoff))
        {
            types |= QuestionType.NeedPayoff;
        }

        if (unit.Has(_insight))
        {
            types |= QuestionType.Insight;
        }

        if (unit.Has(_statusQuo))
        {
            types |= QuestionType.StatusQuo;
        }

        if (unit.Has(_selfServing) && !unit.Has(_valueToCustomer))
        {
            types |= QuestionType.SelfServing;
        }

        return types;
    }

    public CallNote ReadNote(Unit unit)
    {
        var advance = unit.Has(_advance) || Follows(unit, _acquire);
        var information = unit.Has(_information);
        var goal = advance ? GoalKind.Advance
            : information ? GoalKind.Information
            : unit.Has(_continuation) ? GoalKind.Continuation
            : unit.Has(_goalMarkers) ? GoalKind.Stated
            : GoalKind.None;

        var present = NoteElement.None;
        if (goal != GoalKind.None)
        {
            present |= NoteElement.Goal;
        }

        if (advance)
        {
            present |= NoteElement.CustomerAction | NoteElement.NextStep;
        }

        if (unit.Has(_time) || HasDate(unit))
        {
            present |= NoteElement.Time;
        }

        return new CallNote(goal, present);
    }

    // "get her agreement", "walk away with the names": something gained, soon after a verb of getting.
    private bool Follows(Unit unit, int lead)
    {
        if (!unit.Has(lead) || !unit.Has(_outcome))
        {
            return false;
        }

        var view = unit.View;
        for (var t = unit.TokenStart; t < unit.TokenEnd; t++)
        {
            var length = _index.MatchAt(lead, view, t, unit.TokenEnd);
            if (length == 0)
            {
                continue;
            }

            var lastStart = Math.Min(unit.TokenEnd, t + length + AcquireReach);
            if (_index.Contains(_outcome, view, t + length, lastStart, unit.TokenEnd))
            {
                return true;
            }
        }

        return false;
    }

    private static bool HasDate(Unit unit)
    {
        var view = unit.View;
        for (var t = unit.TokenStart; t < unit.TokenEnd; t++)
        {
            var token = view.Tokens[t];
            var word = view.Text.AsSpan(token.Start, token.Length);
            if (!char.IsAsciiDigit(word[0]))
            {
                continue;
            }

            // "the 15th", "3/14", "14:30", "9am".
            var end = token.Start + token.Length;
            if (word.EndsWith("st", StringComparison.OrdinalIgnoreCase) || word.EndsWith("nd", StringComparison.OrdinalIgnoreCase)
                || word.EndsWith("rd", StringComparison.OrdinalIgnoreCase) || word.EndsWith("th", StringComparison.OrdinalIgnoreCase)
                || word.EndsWith("am", StringComparison.OrdinalIgnoreCase) || word.EndsWith("pm", StringComparison.OrdinalIgnoreCase)
                || (end + 1 < view.Text.Length && view.Text[end] is '/' or ':' && char.IsAsciiDigit(view.Text[end + 1])))
            {
                return true;
            }
        }

        return false;
    }

    private bool IsTagQuestion(TextView view, Sentence sentence)
    {
        // ", right?" ", correct?" ", isn't it?" ", don't you?": a statement with a question bolted on.
        var count = sentence.TokenEnd - sentence.TokenStart;
        if (!sentence.IsQuestion || count < 3)
        {
            return false;
        }

        for (var tail = 1; tail <= 2; tail++)
        {
            var first = view.Tokens[sentence.TokenEnd - tail];
            var before = first.Start - 1;
            while (before >= 0 && view.Text[before] == ' ')
            {
                before--;
            }

            if (before < 0 || view.Text[before] != ',')
            {
                continue;
            }

            var word = view.Text.AsSpan(first.Start, first.Length);
            if (tail == 1 && (word.Equals("right", StringComparison.OrdinalIgnoreCase) || word.Equals("correct", StringComparison.OrdinalIgnoreCase)))
            {
                return true;
            }

            // "..., or not?" hands the customer a false choice; "whether or not" mid-sentence does not.
            if (tail == 2 && word.Equals("or", StringComparison.OrdinalIgnoreCase)
                && view.Text.AsSpan(view.Tokens[sentence.TokenEnd - 1].Start, view.Tokens[sentence.TokenEnd - 1].Length).Equals("not", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }

            if (tail == 2 && _index.MatchAt(_closed, view, sentence.TokenEnd - 2, sentence.TokenEnd) > 0)
            {
                return true;
            }
        }

        return false;
    }

    private void MaskAccepted(TextView view)
    {
        var tokens = view.Tokens;
        for (var t = 0; t < tokens.Length; t++)
        {
            var length = _index.MatchAt(_accepted, view, t, tokens.Length);
            for (var k = 0; k < length; k++)
            {
                tokens[t + k] = tokens[t + k] with { Id = Vocabulary.Unknown, WildCount = 0 };
            }

            t += Math.Max(0, length - 1);
        }
    }
}
