namespace CoachBot.Slack;

/// <summary>What <c>auth.test</c> says a bot token belongs to.</summary>
/// <param name="UserId">The bot's user id (<c>U…</c>): messages it posts carry it as <c>user</c>.</param>
/// <param name="BotId">The bot id (<c>B…</c>): messages it posts carry it as <c>bot_id</c>; null for a non-bot token.</param>
/// <param name="TeamId">The workspace; for an org-wide install, the workspace the token was checked in.</param>
public sealed record SlackAuthTest(string UserId, string? BotId, string TeamId, string? EnterpriseId);
