using CoachBot.Coaching.Commands;
using CoachBot.Coaching.Nudges;

namespace CoachBot.Coaching.Tests;

public sealed class CommandRouterTests
{
    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("help")]
    [InlineData("HELP")]
    [InlineData("check")]
    public void Empty_text_and_help_show_help(string text) =>
        Assert.IsType<BotCommand.Help>(CommandRouter.Parse(text));

    [Theory]
    [InlineData("What does your purchasing process look like?")]
    [InlineData("calling Acme tomorrow to check in")]
    [InlineData("help me understand your budget?")]
    [InlineData("nudge the customer towards a decision?")]
    public void A_draft_question_is_coached_not_swallowed_as_a_command(string text)
    {
        var command = CommandRouter.Parse(text);
        if (text.StartsWith("nudge", StringComparison.Ordinal))
        {
            // "nudge" followed by an unknown word is an error that says what it expected, not silent coaching.
            Assert.IsType<BotCommand.Invalid>(command);
            return;
        }

        Assert.Equal(text, Assert.IsType<BotCommand.Check>(command).Text);
    }

    [Fact]
    public void Check_prefix_is_removed_from_the_text_to_coach() =>
        Assert.Equal("What keeps you up at night?", Assert.IsType<BotCommand.Check>(CommandRouter.Parse("check  What keeps you up at night?")).Text);

    [Fact]
    public void Nudge_on_alone_leaves_every_choice_to_the_defaults()
    {
        var on = Assert.IsType<BotCommand.NudgeOn>(CommandRouter.Parse("nudge on"));
        Assert.Null(on.Time);
        Assert.Null(on.TimeZone);
        Assert.Null(on.Days);
        Assert.False(on.WithQuestion);
    }

    [Fact]
    public void Nudge_on_reads_time_zone_days_and_question()
    {
        var on = Assert.IsType<BotCommand.NudgeOn>(CommandRouter.Parse("nudge on 08:30 Europe/Berlin daily with question"));
        Assert.Equal(new TimeOnly(8, 30), on.Time);
        Assert.Equal("Europe/Berlin", on.TimeZone!.Id);
        Assert.Equal(NudgeDays.Daily, on.Days);
        Assert.True(on.WithQuestion);
    }

    [Theory]
    [InlineData("9", 9, 0)]
    [InlineData("9am", 9, 0)]
    [InlineData("9 am", 9, 0)]
    [InlineData("5:30pm", 17, 30)]
    [InlineData("17.45", 17, 45)]
    public void Nudge_on_reads_common_ways_of_writing_a_time(string time, int hour, int minute) =>
        Assert.Equal(new TimeOnly(hour, minute), Assert.IsType<BotCommand.NudgeOn>(CommandRouter.Parse("nudge on " + time)).Time);

    [Fact]
    public void Windows_time_zone_names_are_stored_as_iana_ids()
    {
        var on = Assert.IsType<BotCommand.NudgeOn>(CommandRouter.Parse("nudge on 9:00 W. Europe Standard Time"));
        Assert.Equal("Europe/Berlin", on.TimeZone!.Id);
    }

    [Fact]
    public void An_impossible_time_gets_a_reply_with_an_example()
    {
        var invalid = Assert.IsType<BotCommand.Invalid>(CommandRouter.Parse("nudge on 25:00"));
        Assert.Equal("I couldn't read '25:00' as a time; try `nudge on 08:30 Europe/Berlin`.", invalid.Reply);
    }

    [Fact]
    public void An_unknown_time_zone_gets_a_reply_naming_it()
    {
        var invalid = Assert.IsType<BotCommand.Invalid>(CommandRouter.Parse("nudge on 09:00 Mars/Olympus"));
        Assert.Contains("'Mars/Olympus'", invalid.Reply, StringComparison.Ordinal);
        Assert.Contains(CommandRouter.NudgeExample, invalid.Reply, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("nudge off", typeof(BotCommand.NudgeOff))]
    [InlineData("nudge status", typeof(BotCommand.NudgeStatus))]
    [InlineData("nudge", typeof(BotCommand.NudgeStatus))]
    [InlineData("nudge now", typeof(BotCommand.NudgeNow))]
    [InlineData("Nudge Skip", typeof(BotCommand.NudgeSkip))]
    [InlineData("nudge off please", typeof(BotCommand.Invalid))]
    [InlineData("nudge sometimes", typeof(BotCommand.Invalid))]
    public void Nudge_words_map_to_their_commands(string text, Type expected) =>
        Assert.IsType(expected, CommandRouter.Parse(text));

    [Fact]
    public void Help_lists_every_command_word_the_router_knows()
    {
        Assert.Equal(["help", "check", "nudge on", "nudge off", "nudge status", "nudge now", "nudge skip"], HelpContent.CommandWords);
        foreach (var word in HelpContent.CommandWords.Where(w => w != "check"))
        {
            Assert.IsNotType<BotCommand.Check>(CommandRouter.Parse(word));
            Assert.IsNotType<BotCommand.Invalid>(CommandRouter.Parse(word));
        }
    }

    [Fact]
    public void Help_examples_are_coached_and_the_first_two_need_work()
    {
        var replies = HelpContent.Examples.Select(e => DefaultCoach.Coach.Review(e)).ToList();
        Assert.Equal(Messages.Verdict.Revise, replies[0].Verdict);
        Assert.Equal(Messages.Verdict.Revise, replies[1].Verdict);
    }
}
