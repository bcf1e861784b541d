namespace CoachBot.Coaching.Text;

/// <summary>
/// The lexicon lists the engine itself reads (the question classifier, the call-note reader and the
/// input-kind detector). They are data like every other list, so an organisation can extend them.
/// </summary>
internal static class ReservedLists
{
    public const string Fillers = "question.fillers";
    public const string ClosedOpeners = "question.closed-openers";
    public const string OpenOpeners = "question.open-openers";
    public const string Pronouns = "question.pronouns";
    public const string Leading = "question.leading";
    public const string Implication = "question.implication";
    public const string NeedPayoff = "question.need-payoff";
    public const string Insight = "question.insight";
    public const string StatusQuo = "question.status-quo";
    public const string SelfServing = "question.self-serving";
    public const string ValueToCustomer = "value-to-customer";
    public const string CallWords = "note.call-words";
    public const string GoalMarkers = "note.goal-markers";
    public const string Advance = "note.advance";
    public const string Acquire = "note.acquire";
    public const string Outcome = "note.outcome";
    public const string Information = "note.information";
    public const string Continuation = "note.continuation";
    public const string Time = "note.time";
    public const string Greetings = "message.greetings";
    public const string Signoffs = "message.signoffs";
    public const string SecondPerson = "message.second-person";

    public static IReadOnlyList<string> All { get; } =
    [
        Fillers, ClosedOpeners, OpenOpeners, Pronouns, Leading, Implication, NeedPayoff, Insight, StatusQuo, SelfServing,
        ValueToCustomer, CallWords, GoalMarkers, Advance, Acquire, Outcome, Information, Continuation, Time,
        Greetings, Signoffs, SecondPerson,
    ];
}
