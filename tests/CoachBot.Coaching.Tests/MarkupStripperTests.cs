using CoachBot.Coaching.Text;

namespace CoachBot.Coaching.Tests;

public sealed class MarkupStripperTests
{
    [Theory]
    [InlineData("<@U024BE7LH> what is your budget?", "what is your budget?")] // Slack user mention
    [InlineData("<at>CoachBot</at> what is your budget?", "what is your budget?")] // Teams mention
    [InlineData("see <https://acme.com/pricing|our pricing> first", "see our pricing first")] // Slack link with label
    [InlineData("read <https://acme.com>", "read https://acme.com")] // Slack link without label
    [InlineData("<!here> *bold* _italic_ ~gone~ `code`", "bold italic gone code")] // broadcast and formatting
    [InlineData("<p>Hello&nbsp;there</p><p>R&amp;D &lt;3</p>", "Hello there\nR&D <3")] // Teams HTML and entities
    [InlineData("it\u2019s \u201Cfine\u201D", "it's \"fine\"")] // curly quotes read as straight
    [InlineData("snake_case stays", "snake_case stays")] // an underscore inside a word is not formatting
    [InlineData("in <#C123|sales> today", "in #sales today")] // channel link
    public void Turns_chat_markup_into_plain_words(string input, string expected) =>
        Assert.Equal(expected, MarkupStripper.Strip(input));
}
