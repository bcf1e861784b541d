using CoachBot.Coaching.Messages;
using CoachBot.Coaching.Notes;
using CoachBot.Coaching.Questions;

namespace CoachBot.Coaching.Text;

/// <summary>
/// The piece of text one round of rules reads: the whole text, or one question together with the
/// statements just before it (they may say why the question is asked). Phrase counts are taken once
/// per unit; the question type and the call-note reading are worked out only if a rule asks.
/// </summary>
internal sealed class Unit
{
    private readonly Analyzer _analyzer;
    private QuestionType? _types;
    private CallNote? _note;

    private int[]? _contextCounts;

    public Unit(Analyzer analyzer, TextView view, InputKind kind, bool isQuestion, int firstSentence, int mainSentence, int lastSentence, int[] counts)
    {
        ContextFirst = firstSentence;
        ContextLast = lastSentence;
        _analyzer = analyzer;
        View = view;
        Kind = kind;
        IsQuestion = isQuestion;
        FirstSentence = firstSentence;
        MainSentence = mainSentence;
        LastSentence = lastSentence;
        Counts = counts;
    }

    public TextView View { get; }

    /// <summary>The kind of the whole input this unit came from.</summary>
    public InputKind Kind { get; }

    /// <summary>True for a question unit; false for the whole text of a note or message.</summary>
    public bool IsQuestion { get; }

    public int FirstSentence { get; }

    /// <summary>The question sentence of a question unit; the first sentence otherwise.</summary>
    public int MainSentence { get; }

    public int LastSentence { get; }

    public int[] Counts { get; }

    /// <summary>
    /// The sentences an <c>unless</c> rescue may read: the unit plus the statements around its
    /// question ("What budget range are you working in? That way we only propose what fits.").
    /// </summary>
    public int ContextFirst { get; init; }

    public int ContextLast { get; init; }

    public bool HasWiderContext => ContextFirst != FirstSentence || ContextLast != LastSentence;

    /// <summary>Phrase counts over the context sentences; taken only when a rescue asks.</summary>
    public int[] ContextCounts => !HasWiderContext ? Counts
        : _contextCounts ??= _analyzer.CountRange(View, View.Sentences[ContextFirst].TokenStart, View.Sentences[ContextLast].TokenEnd);

    /// <summary>The pooled array behind <see cref="ContextCounts"/>, if one was taken.</summary>
    public int[]? RentedContextCounts => _contextCounts;

    public ReadOnlySpan<char> ContextSpan => !HasWiderContext ? Span
        : View.Text.AsSpan(View.Sentences[ContextFirst].CharStart, View.Sentences[ContextLast].CharEnd - View.Sentences[ContextFirst].CharStart);

    public int TokenStart => View.Sentences.Length == 0 ? 0 : View.Sentences[FirstSentence].TokenStart;

    public int TokenEnd => View.Sentences.Length == 0 ? 0 : View.Sentences[LastSentence].TokenEnd;

    public int CharStart => View.Sentences.Length == 0 ? 0 : View.Sentences[FirstSentence].CharStart;

    public int CharEnd => View.Sentences.Length == 0 ? View.Text.Length : View.Sentences[LastSentence].CharEnd;

    public ReadOnlySpan<char> Span => View.Text.AsSpan(CharStart, CharEnd - CharStart);

    public string Excerpt => Span.ToString();

    public QuestionType Types => _types ??= _analyzer.Classify(this);

    public CallNote Note => _note ??= _analyzer.ReadNote(this);

    public bool Has(int set) => Counts[set] > 0;

    public int QuestionCount
    {
        get
        {
            var n = 0;
            for (var s = FirstSentence; s <= LastSentence && s < View.Sentences.Length; s++)
            {
                n += View.Sentences[s].IsQuestion ? 1 : 0;
            }

            return n;
        }
    }

    public int SentenceCount => View.Sentences.Length == 0 ? 0 : LastSentence - FirstSentence + 1;
}
