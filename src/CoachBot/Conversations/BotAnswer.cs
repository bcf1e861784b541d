using CoachBot.Coaching.Messages;

namespace CoachBot.Conversations;

/// <summary>What the bot says back to a message or command, before a channel renders it.</summary>
internal abstract record BotAnswer
{
    private BotAnswer()
    {
    }

    public sealed record Coaching(CoachingReply Reply) : BotAnswer;

    public sealed record Help : BotAnswer;

    /// <summary>A short answer: a command's result, or what was wrong with it and an example.</summary>
    public sealed record Note(string Text) : BotAnswer;
}

/// <summary>Where a message came from, in channel-neutral terms.</summary>
/// <param name="Channel"><c>slack</c> or <c>teams</c>.</param>
/// <param name="Workspace">Slack team id or Teams tenant id.</param>
/// <param name="Conversation">Slack channel id or Teams conversation id.</param>
/// <param name="User">The person asking.</param>
internal sealed record ConversationContext(string Channel, string Workspace, string Conversation, string User);
