using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CoachBot.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class FeedbackReason : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Reason",
                table: "feedback_votes",
                type: "TEXT",
                maxLength: 16,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Reason",
                table: "feedback_votes");
        }
    }
}
