namespace CoachBot.Slack;

/// <summary>
/// Text a rep sent the bot, in terms any channel has. On Slack, <see cref="MessageId"/> is the
/// message's <c>ts</c> and <see cref="ThreadId"/> its <c>thread_ts</c> (null outside a thread).
/// </summary>
/// <param name="Text">As Slack sent it, mrkdwn and mentions included: the coaching engine strips markup itself.</param>
public sealed record IncomingMessage(string Team, string Channel, string User, string MessageId, string? ThreadId, string Text);
