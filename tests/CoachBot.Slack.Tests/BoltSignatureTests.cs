using System.Globalization;
using System.Text;

namespace CoachBot.Slack.Tests;

/// <summary>
/// Our signer and verifier against Slack's own Bolt (<c>verifySlackRequest</c> from @slack/bolt 5.1.0, run by
/// <c>tests/realclients/slack-verify.js</c>): what we sign Bolt accepts, and we accept what Slack documents.
/// </summary>
public sealed class BoltSignatureTests
{
    private const string Secret = "8f742231b10e8888abcd99yyyzzz85a5";

    // Slack's documented example (api.slack.com/authentication/verifying-requests-from-slack; docs/slack-protocol.md §1).
    private const long DocTimestamp = 1531420618;
    private const string DocBody =
        "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar"
        + "&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com"
        + "%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
    private const string DocSignature = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";

    public static TheoryData<string> Bodies => new()
    {
        // An Events API DM with non-ASCII text, sent as raw UTF-8 (not escaped): Bolt hashes the decoded string.
        """{"type":"event_callback","event":{"type":"message","text":"café – 10% off? ✓ 👍 Größe","channel_type":"im"}}""",
        "{}",
        "token=x&command=%2Fcoach&text=caf%C3%A9+%2B1+%26+more&user_id=U1",
        "payload=%7B%22type%22%3A%22block_actions%22%7D",
    };

    private static long Now => DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    private static string Ts(long seconds) => seconds.ToString(CultureInfo.InvariantCulture);

    private static async Task<(int ExitCode, string Output)> Bolt(string secret, long ts, string signature, string body, long? now = null)
    {
        using var file = new TempFile(".body");
        await File.WriteAllBytesAsync(file.Path, Encoding.UTF8.GetBytes(body));
        string[] arguments = now is { } at
            ? [secret, Ts(ts), signature, file.Path, "--now=" + Ts(at)]
            : [secret, Ts(ts), signature, file.Path];
        return await RepoFiles.RunNode("slack-verify.js", "@slack/bolt", arguments);
    }

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task Bolt_accepts_what_our_signer_signs_now(string body)
    {
        var ts = Now;
        var signature = new SlackSignatureVerifier(Secret, TimeProvider.System).Sign(Encoding.UTF8.GetBytes(body), ts);

        var (exitCode, output) = await Bolt(Secret, ts, signature, body);

        Assert.True(exitCode == 0, output);
        Assert.StartsWith("VALID", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bolt_rejects_our_signature_on_a_tampered_body()
    {
        // Proves the check above can fail.
        var ts = Now;
        var signature = new SlackSignatureVerifier(Secret, TimeProvider.System).Sign(Encoding.UTF8.GetBytes(DocBody), ts);

        var (exitCode, output) = await Bolt(Secret, ts, signature, DocBody + "------");

        Assert.NotEqual(0, exitCode);
        Assert.StartsWith("INVALID", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bolt_and_we_both_accept_slacks_documented_example()
    {
        var ours = new SlackSignatureVerifier(Secret, FixedTimeProvider.AtUnixSeconds(DocTimestamp))
            .Verify(Encoding.UTF8.GetBytes(DocBody), Ts(DocTimestamp), DocSignature);
        var (exitCode, output) = await Bolt(Secret, DocTimestamp, DocSignature, DocBody, now: DocTimestamp);

        Assert.Equal(SlackSignatureResult.Valid, ours);
        Assert.True(exitCode == 0, output);
        Assert.StartsWith("VALID", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bolt_and_we_both_reject_a_request_signed_more_than_five_minutes_ago()
    {
        var signedAt = Now - 301;
        var signature = new SlackSignatureVerifier(Secret, TimeProvider.System).Sign(Encoding.UTF8.GetBytes(DocBody), signedAt);

        var ours = new SlackSignatureVerifier(Secret, TimeProvider.System).Verify(Encoding.UTF8.GetBytes(DocBody), Ts(signedAt), signature);
        var (exitCode, output) = await Bolt(Secret, signedAt, signature, DocBody);

        Assert.Equal(SlackSignatureResult.StaleTimestamp, ours);
        Assert.NotEqual(0, exitCode);
        Assert.Contains("stale", output, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task We_reject_a_timestamp_an_hour_in_the_future_which_bolt_lets_through()
    {
        // A deliberate difference: Bolt only rejects timestamps older than five minutes, so a signature made for the
        // future stays replayable until then. We apply the window both ways, as python-slack-sdk does.
        var signedAt = Now + 3600;
        var signature = new SlackSignatureVerifier(Secret, TimeProvider.System).Sign(Encoding.UTF8.GetBytes(DocBody), signedAt);

        var ours = new SlackSignatureVerifier(Secret, TimeProvider.System).Verify(Encoding.UTF8.GetBytes(DocBody), Ts(signedAt), signature);
        var (exitCode, output) = await Bolt(Secret, signedAt, signature, DocBody);

        Assert.Equal(SlackSignatureResult.StaleTimestamp, ours);
        Assert.True(exitCode == 0, output);
    }
}
