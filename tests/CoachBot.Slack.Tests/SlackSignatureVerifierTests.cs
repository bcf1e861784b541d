using System.Text;

namespace CoachBot.Slack.Tests;

public sealed class SlackSignatureVerifierTests
{
    // Slack's documented example (api.slack.com/authentication/verifying-requests-from-slack), also used by
    // python-slack-sdk and bolt-js; see docs/slack-protocol.md §1. The secret is not hex: it is used as text.
    private const string Secret = "8f742231b10e8888abcd99yyyzzz85a5";
    private const long Timestamp = 1531420618;
    private const string Body =
        "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar"
        + "&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com"
        + "%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
    private const string Signature = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";

    private static readonly byte[] BodyBytes = Encoding.UTF8.GetBytes(Body);

    private static SlackSignatureVerifier At(long now) => new(Secret, FixedTimeProvider.AtUnixSeconds(now));

    private static SlackSignatureResult Verify(string? timestamp, string? signature, long now = Timestamp) =>
        At(now).Verify(BodyBytes, timestamp, signature);

    [Fact]
    public void Accepts_slacks_documented_signing_example() =>
        Assert.Equal(SlackSignatureResult.Valid, Verify("1531420618", Signature));

    [Fact]
    public void Signs_slacks_documented_example_to_the_documented_signature() =>
        Assert.Equal(Signature, At(Timestamp).Sign(BodyBytes, Timestamp));

    [Theory]
    // Our own vectors from docs/slack-protocol.md §1 (computed, not Slack-published): an Events API JSON body,
    // and a form body with percent-encoded UTF-8, which must be hashed as received, not decoded.
    [InlineData(
        """{"token":"Jhj5dZrVaK7ZwHHjRyZWjbDl","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"}""",
        "v0=f9bd80929259f3f6d5fe3a3186c453c89cd1ad4862815a15837584f31c993652")]
    [InlineData("token=x&text=caf%C3%A9+%2B1&user_id=U1", "v0=f9dcd02e6e306534137c7522d716d65ea1b82323b44fcf28c720900dd3719eba")]
    public void Accepts_other_bodies_signed_with_the_same_secret(string body, string signature)
    {
        var bytes = Encoding.UTF8.GetBytes(body);

        Assert.Equal(signature, At(Timestamp).Sign(bytes, Timestamp));
        Assert.Equal(SlackSignatureResult.Valid, At(Timestamp).Verify(bytes, "1531420618", signature));
    }

    [Fact]
    public void Accepts_an_empty_body_signed_by_slack()
    {
        var verifier = At(Timestamp);

        Assert.Equal(SlackSignatureResult.Valid, verifier.Verify([], "1531420618", verifier.Sign([], Timestamp)));
    }

    [Fact]
    public void Rejects_a_tampered_body() =>
        Assert.Equal(SlackSignatureResult.BadSignature, At(Timestamp).Verify(Encoding.UTF8.GetBytes(Body + "------"), "1531420618", Signature));

    [Fact]
    public void Rejects_a_signature_made_with_another_secret()
    {
        var forger = new SlackSignatureVerifier("not-the-signing-secret", FixedTimeProvider.AtUnixSeconds(Timestamp));

        Assert.Equal(SlackSignatureResult.BadSignature, Verify("1531420618", forger.Sign(BodyBytes, Timestamp)));
    }

    [Fact]
    public void Rejects_a_signature_replayed_with_a_new_timestamp() =>
        // The timestamp is part of what is signed, so refreshing it to pass the window must break the signature.
        Assert.Equal(SlackSignatureResult.BadSignature, Verify("1531420700", Signature, now: 1531420700));

    [Fact]
    public void Rejects_request_signed_more_than_five_minutes_ago() =>
        Assert.Equal(SlackSignatureResult.StaleTimestamp, Verify("1531420618", Signature, now: Timestamp + 301));

    [Fact]
    public void Rejects_request_timestamped_more_than_five_minutes_in_the_future() =>
        Assert.Equal(SlackSignatureResult.StaleTimestamp, Verify("1531420618", Signature, now: Timestamp - 301));

    [Theory]
    [InlineData(300)] // exactly five minutes old: still inside the window
    [InlineData(-300)] // exactly five minutes ahead, a sender clock running fast
    public void Accepts_request_at_the_edge_of_the_five_minute_window(long offset) =>
        Assert.Equal(SlackSignatureResult.Valid, Verify("1531420618", Signature, now: Timestamp + offset));

    [Fact]
    public void Rejects_a_real_slack_signature_against_the_real_clock() =>
        // The documented example is from 2018: with the system clock it is long stale (python-slack-sdk's "real clock" test).
        Assert.Equal(SlackSignatureResult.StaleTimestamp, new SlackSignatureVerifier(Secret, TimeProvider.System).Verify(BodyBytes, "1531420618", Signature));

    [Theory]
    [InlineData(null, Signature)]
    [InlineData("1531420618", null)]
    [InlineData(null, null)]
    [InlineData("", Signature)]
    [InlineData("1531420618", "")]
    public void Rejects_request_with_a_missing_header(string? timestamp, string? signature) =>
        Assert.Equal(SlackSignatureResult.MissingHeaders, Verify(timestamp, signature));

    [Theory]
    [InlineData("yesterday")]
    [InlineData("1531420618.5")] // Slack sends whole seconds
    [InlineData("-1531420618")]
    [InlineData("+1531420618")] // a sign would make the hashed text differ from the number checked
    [InlineData(" 1531420618")]
    [InlineData("1531420618 ")]
    [InlineData("99999999999999999999999")] // overflows a long
    public void Rejects_a_timestamp_that_is_not_whole_unix_seconds(string timestamp) =>
        Assert.Equal(SlackSignatureResult.MalformedTimestamp, Verify(timestamp, Signature));

    [Theory]
    [InlineData("v1=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503")]
    [InlineData("V0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503")]
    [InlineData("a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503")]
    public void Rejects_a_signature_with_a_version_other_than_v0(string signature) =>
        Assert.Equal(SlackSignatureResult.UnsupportedVersion, Verify("1531420618", signature));

    [Theory]
    [InlineData("v0=")]
    [InlineData("v0=a2114d57b48eac39b9ad189dd8316235")] // half a signature
    [InlineData("v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b50300")] // one byte too many
    [InlineData("v0=A2114D57B48EAC39B9AD189DD8316235A7B4A8D21A10BD27519666489C69B503")] // Slack sends lowercase only
    [InlineData("v0=\u01612114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503")] // U+0161 narrowed to a byte is 'a'
    public void Rejects_a_malformed_or_altered_signature(string signature) =>
        Assert.Equal(SlackSignatureResult.BadSignature, Verify("1531420618", signature));

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Refuses_to_start_without_a_signing_secret(string secret) =>
        Assert.ThrowsAny<ArgumentException>(() => new SlackSignatureVerifier(secret, TimeProvider.System));

    [Fact]
    public void An_uninitialised_result_is_not_valid() =>
        Assert.NotEqual(SlackSignatureResult.Valid, default);
}
