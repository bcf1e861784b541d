namespace CoachBot.Coaching.Notes;

/// <summary>The parts of a pre-call note that a <c>note: {missing: [...]}</c> rule can ask for.</summary>
[Flags]
public enum NoteElement
{
    None = 0,
    Goal = 1,
    CustomerAction = 2,
    NextStep = 4,
    Time = 8,
}
