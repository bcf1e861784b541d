namespace CoachBot.Slack.Tests;

public sealed class SlackOAuthTests
{
    [Fact]
    public void Builds_slacks_v2_authorize_url_with_comma_separated_scopes_state_and_redirect()
    {
        var url = SlackOAuth.AuthorizeUrl("123.456", ["chat:write", "commands"], "st ate/1", "https://coachbot.example.com/slack/oauth_redirect");

        Assert.Equal("https://slack.com/oauth/v2/authorize", url.GetLeftPart(UriPartial.Path));
        Assert.Equal(
            "?client_id=123.456&scope=chat%3Awrite%2Ccommands&user_scope=&state=st%20ate%2F1&redirect_uri=https%3A%2F%2Fcoachbot.example.com%2Fslack%2Foauth_redirect",
            url.Query);
    }

    [Fact]
    public void Leaves_out_the_redirect_when_there_is_none() =>
        Assert.DoesNotContain("redirect_uri", SlackOAuth.AuthorizeUrl("1.2", SlackOAuth.BotScopes, "s", null).Query, StringComparison.Ordinal);

    [Fact]
    public void Asks_for_exactly_the_bot_scopes_coachbot_uses() =>
        Assert.Equal(["app_mentions:read", "channels:history", "chat:write", "commands", "groups:history", "im:history", "mpim:history", "users:read"], SlackOAuth.BotScopes);
}
