using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CoachBot.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Installations_Subscriptions_Feedback : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "conversation_references",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ConversationId = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    TenantId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ServiceUrl = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    BotId = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    ConversationType = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    TeamId = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    ChannelId = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    UserId = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    InstalledAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: false),
                    WelcomedAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_conversation_references", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "data_protection_keys",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    FriendlyName = table.Column<string>(type: "TEXT", nullable: true),
                    Xml = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_data_protection_keys", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "feedback_votes",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Channel = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    MessageKey = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    VoterId = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    RuleId = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Helpful = table.Column<bool>(type: "INTEGER", nullable: false),
                    VotedAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_feedback_votes", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "nudge_subscriptions",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Channel = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Workspace = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ConversationId = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    LocalTime = table.Column<TimeOnly>(type: "TEXT", nullable: false),
                    TimeZoneId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Days = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    WithQuestion = table.Column<bool>(type: "INTEGER", nullable: false),
                    NextDueAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    SkipDate = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    UsedTipIds = table.Column<string>(type: "TEXT", nullable: false),
                    CreatedBy = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_nudge_subscriptions", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "slack_installations",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    TeamId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    EnterpriseId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    BotUserId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    BotId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    AppId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Scopes = table.Column<string>(type: "TEXT", nullable: false),
                    ProtectedBotToken = table.Column<string>(type: "TEXT", nullable: false),
                    InstalledAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_slack_installations", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "nudge_deliveries",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    SubscriptionId = table.Column<long>(type: "INTEGER", nullable: false),
                    LocalDate = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    State = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    TipId = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    Owner = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    LeaseUntil = table.Column<DateTime>(type: "TEXT", nullable: true),
                    ReservedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    CompletedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    Error = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_nudge_deliveries", x => x.Id);
                    table.ForeignKey(
                        name: "FK_nudge_deliveries_nudge_subscriptions_SubscriptionId",
                        column: x => x.SubscriptionId,
                        principalTable: "nudge_subscriptions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_conversation_references_ConversationId",
                table: "conversation_references",
                column: "ConversationId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_feedback_votes_Channel_MessageKey_VoterId_RuleId",
                table: "feedback_votes",
                columns: new[] { "Channel", "MessageKey", "VoterId", "RuleId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_feedback_votes_RuleId",
                table: "feedback_votes",
                column: "RuleId");

            migrationBuilder.CreateIndex(
                name: "IX_nudge_deliveries_SubscriptionId_LocalDate",
                table: "nudge_deliveries",
                columns: new[] { "SubscriptionId", "LocalDate" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_nudge_subscriptions_Channel_ConversationId",
                table: "nudge_subscriptions",
                columns: new[] { "Channel", "ConversationId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_nudge_subscriptions_NextDueAt",
                table: "nudge_subscriptions",
                column: "NextDueAt");

            migrationBuilder.CreateIndex(
                name: "IX_slack_installations_EnterpriseId_TeamId",
                table: "slack_installations",
                columns: new[] { "EnterpriseId", "TeamId" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "conversation_references");

            migrationBuilder.DropTable(
                name: "data_protection_keys");

            migrationBuilder.DropTable(
                name: "feedback_votes");

            migrationBuilder.DropTable(
                name: "nudge_deliveries");

            migrationBuilder.DropTable(
                name: "slack_installations");

            migrationBuilder.DropTable(
                name: "nudge_subscriptions");
        }
    }
}
