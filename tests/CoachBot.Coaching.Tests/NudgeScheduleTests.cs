using CoachBot.Coaching.Nudges;

namespace CoachBot.Coaching.Tests;

public sealed class NudgeScheduleTests
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    [Fact]
    public void Nine_in_Berlin_moves_an_hour_in_utc_across_the_spring_change()
    {
        var schedule = new NudgeSchedule(new TimeOnly(9, 0), Berlin, NudgeDays.Daily);

        // Clocks go forward on Sunday 29 March 2026.
        var saturday = schedule.Next(new DateTimeOffset(2026, 3, 28, 0, 0, 0, TimeSpan.Zero));
        var sunday = schedule.Next(saturday.At);
        Assert.Equal(new DateTimeOffset(2026, 3, 28, 8, 0, 0, TimeSpan.Zero), saturday.At);
        Assert.Equal(new DateTimeOffset(2026, 3, 29, 7, 0, 0, TimeSpan.Zero), sunday.At);
        Assert.Equal(new DateOnly(2026, 3, 29), sunday.LocalDate);
    }

    [Fact]
    public void Nine_in_New_York_moves_back_across_the_autumn_change()
    {
        var schedule = new NudgeSchedule(new TimeOnly(9, 0), NewYork, NudgeDays.Daily);

        // Clocks go back on Sunday 1 November 2026.
        var saturday = schedule.Next(new DateTimeOffset(2026, 10, 31, 0, 0, 0, TimeSpan.Zero));
        var sunday = schedule.Next(saturday.At);
        Assert.Equal(new DateTimeOffset(2026, 10, 31, 13, 0, 0, TimeSpan.Zero), saturday.At);
        Assert.Equal(new DateTimeOffset(2026, 11, 1, 14, 0, 0, TimeSpan.Zero), sunday.At);
    }

    [Fact]
    public void A_time_the_clocks_skip_goes_out_at_the_shifted_wall_clock_time()
    {
        var schedule = new NudgeSchedule(new TimeOnly(2, 30), Berlin, NudgeDays.Daily);
        var due = schedule.On(new DateOnly(2026, 3, 29));

        // 02:30 does not exist that night; 03:30 CEST is 01:30 UTC.
        Assert.Equal(new DateTimeOffset(2026, 3, 29, 1, 30, 0, TimeSpan.Zero), due.At.ToUniversalTime());
    }

    [Fact]
    public void A_time_that_happens_twice_goes_out_the_first_time()
    {
        var schedule = new NudgeSchedule(new TimeOnly(1, 30), NewYork, NudgeDays.Daily);
        var due = schedule.On(new DateOnly(2026, 11, 1));
        Assert.Equal(new DateTimeOffset(2026, 11, 1, 5, 30, 0, TimeSpan.Zero), due.At.ToUniversalTime());
    }

    [Fact]
    public void Weekdays_skip_the_weekend_in_the_channels_zone()
    {
        var schedule = new NudgeSchedule(new TimeOnly(9, 0), Berlin, NudgeDays.Weekdays);

        // Friday 27 November 2026 after 9:00 Berlin: the next is Monday.
        var next = schedule.Next(new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero));
        Assert.Equal(new DateOnly(2026, 11, 30), next.LocalDate);
    }

    [Fact]
    public void A_skipped_date_is_passed_over()
    {
        var schedule = new NudgeSchedule(new TimeOnly(9, 0), Berlin, NudgeDays.Weekdays);
        var next = schedule.Next(new DateTimeOffset(2026, 11, 23, 6, 0, 0, TimeSpan.Zero), skipDate: new DateOnly(2026, 11, 23));
        Assert.Equal(new DateOnly(2026, 11, 24), next.LocalDate);
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(119, true)]
    [InlineData(120, true)]
    [InlineData(121, false)]
    public void A_late_nudge_goes_out_within_two_hours_and_is_skipped_after(int minutesLate, bool send)
    {
        var due = new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.Zero);
        Assert.Equal(send, NudgeSchedule.StillWorthSending(due, due.AddMinutes(minutesLate)));
    }
}
