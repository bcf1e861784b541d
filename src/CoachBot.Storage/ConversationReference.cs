namespace CoachBot.Storage;

/// <summary>
/// Where to reach one Teams conversation without being spoken to first (welcome message, daily nudge): Bot Framework
/// only lets a bot post proactively with the service URL and ids it learned from an earlier activity.
/// </summary>
public sealed class ConversationReference
{
    public const string Personal = "personal";
    public const string GroupChat = "groupChat";
    public const string ChannelConversation = "channel";

    public long Id { get; internal set; }

    /// <summary>The Bot Framework conversation id; unique.</summary>
    public required string ConversationId { get; init; }

    public required string TenantId { get; init; }

    /// <summary>The regional Bot Connector endpoint the conversation lives on; it can change, so each upsert refreshes it.</summary>
    public required string ServiceUrl { get; init; }

    public required string BotId { get; init; }

    /// <summary>
    /// <see cref="Personal"/>, <see cref="GroupChat"/> or <see cref="ChannelConversation"/>; any casing is accepted and
    /// stored as Teams spells it.
    /// </summary>
    public required string ConversationType { get; init; }

    public string? TeamId { get; init; }

    /// <summary>The Teams channel id, for a channel conversation.</summary>
    public string? ChannelId { get; init; }

    /// <summary>The user of a personal conversation (or whoever installed the bot elsewhere).</summary>
    public string? UserId { get; init; }

    /// <summary>When the bot was added; an upsert of a known conversation keeps it. Set by <see cref="ConversationReferences"/>.</summary>
    public DateTimeOffset InstalledAt { get; init; }

    /// <summary>When the welcome went out; null until then. Set only by <see cref="ConversationReferences.TryMarkWelcomedAsync"/>.</summary>
    public DateTimeOffset? WelcomedAt { get; internal set; }
}
