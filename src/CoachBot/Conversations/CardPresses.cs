using CoachBot.Coaching;
using CoachBot.Coaching.Messages;
using CoachBot.Coaching.Replies;
using CoachBot.Storage;

namespace CoachBot.Conversations;

/// <summary>
/// A press on a coaching card's button, the same in every channel: read the card's state from the button's data,
/// draw the card again with the press applied, and count a vote (with its optional reason) per rule.
/// </summary>
internal sealed class CardPresses(Coach coach, Feedback feedback)
{
    /// <param name="messageKey">The message the card is on (never its text); with the voter it makes repeated presses count once.</param>
    /// <returns>The card to show now; null when the card's rule is no longer in the packs.</returns>
    public async Task<CoachingCard?> PressAsync(
        string channel, string messageKey, string voter, string action, IReadOnlyDictionary<string, string> data, CancellationToken cancellationToken)
    {
        var state = CardState.FromData(data, IsPraise);
        if (CoachingCard.Resolve(coach.Engine, state) is not { } card)
        {
            return null;
        }

        var reason = data.GetValueOrDefault("reason");
        var pressed = card.Press(action, reason);
        if (state.Subject is { } rule && action is CoachingActions.Helpful or CoachingActions.NotHelpful or CoachingActions.Reason)
        {
            var helpful = action == CoachingActions.Helpful;
            await feedback.RecordAsync(channel, messageKey, voter, rule, helpful, helpful ? null : pressed.State.Reason, cancellationToken).ConfigureAwait(false);
        }

        return pressed;
    }

    private bool IsPraise(string rule) =>
        coach.Engine.Rules.FirstOrDefault(r => string.Equals(r.Id, rule, StringComparison.Ordinal))?.Text.Level == Level.Praise;
}
