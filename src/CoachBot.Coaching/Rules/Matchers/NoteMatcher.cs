using CoachBot.Coaching.Messages;
using CoachBot.Coaching.Notes;
using CoachBot.Coaching.Text;

namespace CoachBot.Coaching.Rules.Matchers;

/// <summary>
/// <c>note:</c>: reads the call note's goal. <c>missing</c> fires when any listed element is
/// absent, <c>has</c> when all are present, <c>goal_is</c> when the goal is of that kind; keys
/// given together must all hold.
/// </summary>
internal sealed class NoteMatcher(NoteElement missing, NoteElement has, GoalKind? goalIs) : Matcher
{
    public override int Cost => 3;

    public override bool IsMatch(Unit unit)
    {
        if (unit.IsQuestion || unit.Kind != InputKind.CallNote)
        {
            return false;
        }

        var note = unit.Note;
        return (missing == NoteElement.None || note.IsMissingAny(missing))
            && (has == NoteElement.None || note.Has(has))
            && (goalIs is null || note.Goal == goalIs);
    }
}
