namespace CoachBot.Coaching.Notes;

/// <summary>What the call-note reader found in a pre-call note.</summary>
internal readonly record struct CallNote(GoalKind Goal, NoteElement Present)
{
    public bool Has(NoteElement elements) => (Present & elements) == elements;

    public bool IsMissingAny(NoteElement elements) => (~Present & elements) != 0;
}
