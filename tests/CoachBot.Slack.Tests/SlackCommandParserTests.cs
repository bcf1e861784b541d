using System.Text;

namespace CoachBot.Slack.Tests;

public sealed class SlackCommandParserTests
{
    private const string Form = SlackCommandParser.FormContentType;

    // A /coach invocation as Slack sends it (fields from bolt-js src/types/command), text percent-encoded with UTF-8.
    private const string Coach =
        "token=legacy&team_id=T1&team_domain=acme&channel_id=C1&channel_name=sales&user_id=U1&user_name=rep"
        + "&command=%2Fcoach&text=What+does+your+purchasing+process+look+like%3F+caf%C3%A9"
        + "&api_app_id=A1&is_enterprise_install=false"
        + "&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN"
        + "&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";

    private static SlackCommand Parse(string body) => SlackCommandParser.Parse(Encoding.UTF8.GetBytes(body));

    private static bool IsSslCheck(string? contentType, string body) => SlackCommandParser.IsSslCheck(contentType, Encoding.UTF8.GetBytes(body));

    [Fact]
    public void Reads_a_slash_command_with_its_text_decoded()
    {
        var command = Assert.IsType<SlackCommand.SlashCommand>(Parse(Coach));

        Assert.Equal(
            new SlackCommand.SlashCommand(
                "/coach",
                "What does your purchasing process look like? café",
                "T1",
                null,
                "C1",
                "U1",
                new Uri("https://hooks.slack.com/commands/T1/397700885554/96rGlfmibIGlgcZRskXaIFfN"),
                "398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c"),
            command);
    }

    [Fact]
    public void Reads_slacks_documented_signing_example_as_a_command_with_empty_text()
    {
        var command = Assert.IsType<SlackCommand.SlashCommand>(Parse(
            "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar"
            + "&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com"
            + "%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c"));

        Assert.Equal(("/webhook-collect", "", "T1DC2JH3J"), (command.Command, command.Text, command.TeamId));
    }

    [Fact]
    public void Keeps_the_enterprise_of_a_grid_workspace() =>
        Assert.Equal("E1", Assert.IsType<SlackCommand.SlashCommand>(Parse(Coach + "&enterprise_id=E1&enterprise_name=Acme")).EnterpriseId);

    [Fact]
    public void Reads_a_command_without_a_trigger_id() =>
        Assert.Null(Assert.IsType<SlackCommand.SlashCommand>(Parse(Coach.Replace("&trigger_id=", "&other=", StringComparison.Ordinal))).TriggerId);

    [Theory]
    [InlineData("command=%2Fcoach", "command=coach")]
    [InlineData("&team_id=T1", "")]
    [InlineData("&user_id=U1", "&user_id=")]
    [InlineData("&channel_id=C1", "")]
    [InlineData("response_url=https%3A%2F%2F", "response_url=%2F")] // "/hooks.slack.com/…" is a path, not a URL
    [InlineData("response_url=https", "response_url=ftp")]
    [InlineData("&team_id=T1", "&team_id=T1&team_id=T2")] // a repeated field is ambiguous
    public void Refuses_a_command_missing_what_slack_always_sends(string from, string to) =>
        Assert.IsType<SlackCommand.Malformed>(Parse(Coach.Replace(from, to, StringComparison.Ordinal)));

    [Theory]
    [InlineData("")]
    [InlineData("{\"command\":\"/coach\"}")]
    [InlineData("%%%&&==")]
    public void Gives_malformed_for_junk_and_never_throws(string body) =>
        Assert.IsType<SlackCommand.Malformed>(Parse(body));

    [Fact]
    public void Never_puts_field_values_in_the_malformed_reason()
    {
        var malformed = Assert.IsType<SlackCommand.Malformed>(Parse("command=%2Fcoach&text=secret+deal"));

        Assert.DoesNotContain("secret", malformed.Reason, StringComparison.Ordinal);
    }

    // ssl_check: the same rule as Bolt's HTTPReceiver (bolt-js src/receivers/HTTPModuleFunctions.ts, and the cases of
    // test/unit/receivers/HTTPModuleFunctions.spec.ts): exact content type, and ssl_check exactly "1".
    [Theory]
    [InlineData("ssl_check=1&token=legacy")]
    [InlineData("token=legacy&ssl_check=1")]
    [InlineData("ssl_check=%31")] // querystring.parse decodes before comparing
    public void Recognises_slacks_unsigned_certificate_probe(string body) =>
        Assert.True(IsSslCheck(Form, body));

    [Theory]
    [InlineData(Form, "ssl_check=0")]
    [InlineData(Form, "ssl_check=true")]
    [InlineData(Form, "ssl_check=")]
    [InlineData(Form, "ssl_check")]
    [InlineData(Form, "ssl_check=1&ssl_check=1")] // an array in querystring.parse, which is not '1'
    [InlineData(Form, "ssl_check=+1")]
    [InlineData("application/json", "ssl_check=1")]
    [InlineData("application/json", "{\"ssl_check\":\"1\"}")]
    [InlineData("application/x-www-form-urlencoded; charset=utf-8", "ssl_check=1")] // Bolt compares the header exactly
    [InlineData(null, "ssl_check=1")]
    public void Does_not_let_anything_else_skip_signature_verification(string? contentType, string body) =>
        Assert.False(IsSslCheck(contentType, body));

    [Fact]
    public void Treats_a_probe_with_a_smuggled_command_as_only_a_probe()
    {
        // Bolt strips smuggled fields; here the probe is answered without being parsed, and parsing it never yields a command.
        const string Smuggled = "ssl_check=1&" + Coach;

        Assert.True(IsSslCheck(Form, Smuggled));
        Assert.IsType<SlackCommand.SslCheck>(Parse(Smuggled));
    }
}
