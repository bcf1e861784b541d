namespace CoachBot.Teams.Tests;

public sealed class TrustedServiceUrlsTests
{
    [Fact]
    public void Trusts_a_url_it_was_given_with_or_without_trailing_slash_and_in_any_case()
    {
        var trusted = new TrustedServiceUrls();

        Assert.True(trusted.Add("https://smba.trafficmanager.net/amer/"));

        Assert.True(trusted.IsTrusted("https://smba.trafficmanager.net/amer/"));
        Assert.True(trusted.IsTrusted("https://smba.trafficmanager.net/amer"));
        Assert.True(trusted.IsTrusted("https://SMBA.trafficmanager.net/AMER/"));
    }

    [Theory]
    [InlineData("https://smba.trafficmanager.net/emea/")]
    [InlineData("https://smba.trafficmanager.net/")]
    [InlineData("https://smba.trafficmanager.net.evil.example/amer/")]
    [InlineData("http://smba.trafficmanager.net/amer/")]
    [InlineData("not a url")]
    public void Does_not_trust_anything_else(string serviceUrl)
    {
        var trusted = new TrustedServiceUrls();
        trusted.Add("https://smba.trafficmanager.net/amer/");

        Assert.False(trusted.IsTrusted(serviceUrl));
    }

    [Theory]
    [InlineData("http://smba.trafficmanager.net/amer/")]
    [InlineData("https://user:pass@smba.trafficmanager.net/amer/")]
    [InlineData("https://smba.trafficmanager.net/amer/?x=1")]
    [InlineData("/amer/")]
    public void Refuses_to_trust_plain_http_elsewhere_than_loopback_or_odd_urls(string serviceUrl)
    {
        var trusted = new TrustedServiceUrls();

        Assert.False(trusted.Add(serviceUrl));
        Assert.Equal(0, trusted.Count);
    }

    [Fact]
    public void Trusts_a_plain_http_playground_on_loopback()
    {
        var trusted = new TrustedServiceUrls();

        Assert.True(trusted.Add("http://127.0.0.1:56150"));
        Assert.True(trusted.IsTrusted("http://127.0.0.1:56150/"));
    }

    [Fact]
    public void Answers_the_same_for_a_url_added_again_and_again()
    {
        var trusted = new TrustedServiceUrls();

        for (var i = 0; i < 3; i++)
        {
            Assert.True(trusted.Add("https://smba.trafficmanager.net/amer/"));
            Assert.False(trusted.Add("http://smba.trafficmanager.net/amer/"));
        }

        Assert.Equal(1, trusted.Count);
        Assert.True(trusted.IsTrusted("https://smba.trafficmanager.net/amer"));
        Assert.False(trusted.IsTrusted("http://smba.trafficmanager.net/amer/"));
    }

    [Fact]
    public void Keeps_trusting_every_url_past_the_number_of_spellings_it_remembers()
    {
        var trusted = new TrustedServiceUrls();
        var urls = Enumerable.Range(0, 1500).Select(i => $"https://smba.trafficmanager.net/amer-{i}/").ToList();

        Assert.All(urls, url => Assert.True(trusted.Add(url)));

        Assert.Equal(1500, trusted.Count);
        Assert.All(urls, url => Assert.True(trusted.IsTrusted(url)));
        Assert.All(urls, url => Assert.True(trusted.IsTrusted(url.ToUpperInvariant().TrimEnd('/'))));
        Assert.False(trusted.IsTrusted("https://smba.trafficmanager.net/amer-1500/"));
    }
}
