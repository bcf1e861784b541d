using System.Globalization;
using CoachBot.Coaching.Commands;
using CoachBot.Coaching.Nudges;
using CoachBot.Conversations;
using CoachBot.Storage;

namespace CoachBot.Nudges;

/// <summary>
/// <c>nudge on|off|status|now|skip</c>, the same in both channels. Every answer says what is now true, in the
/// channel's own time zone, and a bad value changes nothing.
/// </summary>
internal sealed class NudgeCommands(NudgeSubscriptions subscriptions, NudgeSender sender, TimeProvider time)
{
    private static readonly TimeOnly DefaultTime = new(9, 0);

    public async Task<string> RunAsync(
        ConversationContext context, BotCommand command, Func<CancellationToken, Task<string?>> askerTimeZone, CancellationToken cancellationToken)
    {
        var existing = await subscriptions.FindAsync(context.Channel, context.Conversation, cancellationToken).ConfigureAwait(false);
        switch (command)
        {
            case BotCommand.NudgeOn on:
                return await SubscribeAsync(context, on, existing, askerTimeZone, cancellationToken).ConfigureAwait(false);

            case BotCommand.NudgeOff:
                return await subscriptions.RemoveAsync(context.Channel, context.Conversation, cancellationToken).ConfigureAwait(false)
                    ? "Daily coaching tips are off for this channel. Turn them back on any time with `nudge on`."
                    : "This channel has no daily coaching tips, so there was nothing to turn off.";

            case BotCommand.NudgeStatus when existing is null:
                return NotSubscribed;
            case BotCommand.NudgeStatus:
                return Describe(existing, "Daily coaching tips are on");

            case BotCommand.NudgeSkip when existing is null:
                return NotSubscribed;
            case BotCommand.NudgeSkip:
            {
                var schedule = Schedule(existing);
                var skipped = schedule.Next(time.GetUtcNow(), existing.SkipDate).LocalDate;
                var next = schedule.Next(time.GetUtcNow(), skipped);
                await subscriptions.SetSkipDateAsync(existing.Id, skipped, next.At, cancellationToken).ConfigureAwait(false);
                return $"Skipping {Day(skipped)}. The next tip goes out {When(next, schedule.TimeZone)}.";
            }

            case BotCommand.NudgeNow when existing is null:
                return NotSubscribed;
            case BotCommand.NudgeNow:
            {
                var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(time.GetUtcNow(), Zone(existing)).DateTime);
                return await sender.SendAsync(existing, today, cancellationToken).ConfigureAwait(false) switch
                {
                    NudgeOutcome.Sent => "Here's today's tip. It counts as today's, so there won't be another one until the next scheduled day.",
                    NudgeOutcome.AlreadyHandled => "Today's tip has already gone out here. The next one comes on the next scheduled day.",
                    NudgeOutcome.InProgress => "Today's tip is already on its way here. The next one comes on the next scheduled day.",
                    NudgeOutcome.Unsubscribed => "I can't post in this channel any more, so its daily tips are off. Add me back and use `nudge on`.",
                    _ => "I couldn't post today's tip just now. Try `nudge now` again in a minute.",
                };
            }

            default:
                return "I don't know that nudge command. Try `" + CommandRouter.NudgeExample + "`.";
        }
    }

    private const string NotSubscribed = "This channel has no daily coaching tips. Turn them on with `nudge on` (09:00 on weekdays), or e.g. `" + CommandRouter.NudgeExample + "`.";

    private async Task<string> SubscribeAsync(
        ConversationContext context, BotCommand.NudgeOn on, NudgeSubscription? existing, Func<CancellationToken, Task<string?>> askerTimeZone, CancellationToken cancellationToken)
    {
        var zone = on.TimeZone
            ?? (existing is null ? null : CommandRouter.FindTimeZone(existing.TimeZoneId))
            ?? (await askerTimeZone(cancellationToken).ConfigureAwait(false) is { } asked ? CommandRouter.FindTimeZone(asked) : null)
            ?? TimeZoneInfo.Utc;
        var schedule = new NudgeSchedule(on.Time ?? existing?.LocalTime ?? DefaultTime, zone, on.Days ?? existing?.Days ?? NudgeDays.Weekdays);
        var next = schedule.Next(time.GetUtcNow());
        var saved = await subscriptions.UpsertAsync(
            context.Channel,
            context.Workspace,
            context.Conversation,
            schedule.LocalTime,
            zone.Id,
            schedule.Days,
            on.WithQuestion,
            context.User,
            next.At,
            cancellationToken).ConfigureAwait(false);
        return Describe(saved, existing is null ? "Done: daily coaching tips are on" : "Updated: daily coaching tips are on");
    }

    private string Describe(NudgeSubscription subscription, string lead)
    {
        var schedule = Schedule(subscription);
        var next = schedule.Next(time.GetUtcNow(), subscription.SkipDate);
        var days = subscription.Days == NudgeDays.Daily ? "every day" : "on weekdays";
        var question = subscription.WithQuestion ? ", with a question of the day" : "";
        return $"{lead} for this channel at {subscription.LocalTime:HH\\:mm} {schedule.TimeZone.Id} {days}{question}. "
            + $"Next one: {When(next, schedule.TimeZone)}.";
    }

    private static NudgeSchedule Schedule(NudgeSubscription subscription) =>
        new(subscription.LocalTime, Zone(subscription), subscription.Days);

    private static TimeZoneInfo Zone(NudgeSubscription subscription) =>
        CommandRouter.FindTimeZone(subscription.TimeZoneId) ?? TimeZoneInfo.Utc;

    private static string When(NudgeOccurrence occurrence, TimeZoneInfo zone) =>
        $"{Day(occurrence.LocalDate)} at {TimeZoneInfo.ConvertTime(occurrence.At, zone):HH:mm} ({zone.Id})";

    private static string Day(DateOnly date) => date.ToString("dddd d MMMM", CultureInfo.InvariantCulture);
}
