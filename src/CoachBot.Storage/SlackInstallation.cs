namespace CoachBot.Storage;

/// <summary>
/// One install of the Slack app: a workspace's, or a whole Enterprise Grid org's (then <see cref="TeamId"/> is empty).
/// It holds the bot token the bot acts with there, so a workspace that uninstalls loses its row.
/// </summary>
/// <remarks>
/// Storage never sees a plaintext token: <see cref="ProtectedBotToken"/> arrives already encrypted by the caller with
/// ASP.NET Core Data Protection, and only the caller decrypts it. The keys for that live in this database too
/// (<see cref="CoachBotDbContext.DataProtectionKeys"/>) so that every replica can decrypt, which means a full copy of the
/// database holds both; protect the keys at rest (Data Protection's <c>ProtectKeysWith…</c>) where that matters.
/// </remarks>
public sealed class SlackInstallation
{
    public long Id { get; internal set; }

    /// <summary>The workspace id (<c>T…</c>); empty for an org-wide Enterprise Grid install.</summary>
    public required string TeamId { get; init; }

    /// <summary>The Enterprise Grid org id (<c>E…</c>); null when the workspace is not part of one.</summary>
    public string? EnterpriseId
    {
        get => EnterpriseKey.Length == 0 ? null : EnterpriseKey;
        init => EnterpriseKey = value ?? "";
    }

    /// <summary>
    /// The stored form of <see cref="EnterpriseId"/>: "" for none, because the unique key (enterprise, team) must
    /// treat "none" as one value and SQL NULLs never collide.
    /// </summary>
    internal string EnterpriseKey { get; private set; } = "";

    /// <summary>The bot's user id (<c>U…</c>), to recognise its own messages and mentions.</summary>
    public required string BotUserId { get; init; }

    public string? BotId { get; init; }

    public string? AppId { get; init; }

    /// <summary>The granted scopes, comma-separated as Slack returns them.</summary>
    public required string Scopes { get; init; }

    /// <summary>The bot token, encrypted by the caller with Data Protection; never plaintext.</summary>
    public required string ProtectedBotToken { get; init; }

    /// <summary>The first install; a re-install keeps it. Set by <see cref="SlackInstallations"/>.</summary>
    public DateTimeOffset InstalledAt { get; init; }

    /// <summary>The last install or re-install. Set by <see cref="SlackInstallations"/>.</summary>
    public DateTimeOffset UpdatedAt { get; init; }
}
