using CoachBot.Coaching;
using CoachBot.Coaching.Commands;
using CoachBot.Nudges;

namespace CoachBot.Conversations;

/// <summary>
/// Answers a rep's message the same way in every channel: the shared router decides what was asked,
/// the coach or the nudge commands answer it.
/// </summary>
internal sealed class CommandHandler(Coach coach, NudgeCommands nudges)
{
    /// <param name="timeZone">The asker's time zone as the channel reports it, looked up only if a nudge needs it.</param>
    public async Task<BotAnswer> AnswerAsync(
        ConversationContext context, string text, Func<CancellationToken, Task<string?>> timeZone, CancellationToken cancellationToken)
    {
        return CommandRouter.Parse(text) switch
        {
            BotCommand.Help => new BotAnswer.Help(),
            BotCommand.Check check => Coach(check.Text),
            BotCommand.Invalid invalid => new BotAnswer.Note(invalid.Reply),
            var nudge => new BotAnswer.Note(await nudges.RunAsync(context, nudge, timeZone, cancellationToken).ConfigureAwait(false)),
        };
    }

    public BotAnswer Coach(string text)
    {
        try
        {
            return new BotAnswer.Coaching(coach.Review(text));
        }
        catch (CoachingInputException ex)
        {
            return new BotAnswer.Note(ex.Message);
        }
    }
}
