namespace CoachBot.Teams;

/// <summary>
/// What one inbound Teams activity means to CoachBot: a closed set of records, one per thing the bot
/// acts on, plus <see cref="IgnoredActivity"/> and <see cref="MalformedActivity"/>.
/// </summary>
/// <remarks>
/// Produced by <see cref="TeamsActivityParser"/>. Every case carries the <see cref="ChannelId"/> and
/// <see cref="ServiceUrl"/> the body claims (when it has them), because the token check needs both;
/// authenticate before acting on any case.
/// </remarks>
public abstract record TeamsActivity
{
    // Private protected: only this assembly adds cases, so a switch over them can be exhaustive.
    private protected TeamsActivity(string? channelId, string? serviceUrl) => (ChannelId, ServiceUrl) = (channelId, serviceUrl);

    /// <summary>The Bot Framework channel the body names (<c>msteams</c>); null when absent.</summary>
    public string? ChannelId { get; }

    /// <summary>Where replies go, as the body says; trust it only once the token vouches for it.</summary>
    public string? ServiceUrl { get; }
}

/// <summary>A rep's text for the bot, in a 1:1 chat or with an @mention in a channel or group chat.</summary>
/// <param name="Text">The text with the bot's mention removed and other mentions reduced to the name.</param>
public sealed record MessageReceived(TeamsAddress Address, string ActivityId, string Text)
    : TeamsActivity(Address.ChannelId, Address.ServiceUrl);

/// <summary>
/// An <c>Action.Submit</c> press on one of our cards (the fallback for clients without
/// <c>Action.Execute</c>): a message with empty text whose <c>value</c> is the action's data.
/// </summary>
public sealed record CardSubmitted(TeamsAddress Address, string ActivityId, string Verb, IReadOnlyDictionary<string, string> Data)
    : TeamsActivity(Address.ChannelId, Address.ServiceUrl);

/// <summary>
/// An <c>adaptiveCard/action</c> invoke (an <c>Action.Execute</c> press). Teams waits for the HTTP
/// response, which must be an invoke response (see <see cref="AdaptiveCardRenderer"/>).
/// </summary>
public sealed record CardActionInvoked(TeamsAddress Address, string ActivityId, string Verb, IReadOnlyDictionary<string, string> Data)
    : TeamsActivity(Address.ChannelId, Address.ServiceUrl);

/// <summary>
/// The bot arrived in a conversation: <c>installationUpdate</c> with action <c>add</c>, or
/// <c>conversationUpdate</c> with the bot among <c>membersAdded</c>. Teams may send both for one install.
/// </summary>
public sealed record BotInstalled(TeamsAddress Address)
    : TeamsActivity(Address.ChannelId, Address.ServiceUrl);

/// <summary>The app was removed (<c>installationUpdate</c> with action <c>remove</c>); sends there now fail with 403.</summary>
public sealed record BotUninstalled(TeamsAddress Address)
    : TeamsActivity(Address.ChannelId, Address.ServiceUrl);

/// <summary>A well-formed activity CoachBot has no use for; the host acknowledges it and logs the reason.</summary>
public sealed record IgnoredActivity(string Reason, string? ChannelId, string? ServiceUrl)
    : TeamsActivity(ChannelId, ServiceUrl);

/// <summary>A body that is not an activity, or lacks a field CoachBot needs to act on its type.</summary>
public sealed record MalformedActivity(string Reason, string? ChannelId = null, string? ServiceUrl = null)
    : TeamsActivity(ChannelId, ServiceUrl);

/// <summary>Where an activity came from and where a reply goes.</summary>
/// <param name="ChannelId">The Bot Framework channel (<c>msteams</c>), not a Teams channel.</param>
/// <param name="BotId">The bot's own id in this conversation (<c>28:&lt;appId&gt;</c>); replies are sent from it.</param>
/// <param name="TeamChannelId">The Teams channel (<c>19:…@thread.tacv2</c>) in team scope; null elsewhere.</param>
public sealed record TeamsAddress(
    string ServiceUrl,
    string ChannelId,
    string ConversationId,
    TeamsScope Scope,
    string BotId,
    string? TenantId,
    string? UserId,
    string? UserAadObjectId,
    string? TeamId,
    string? TeamChannelId);

/// <summary>The kind of conversation, from <c>conversation.conversationType</c>.</summary>
public enum TeamsScope
{
    Personal,
    GroupChat,
    Channel,
}
