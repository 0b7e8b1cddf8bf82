using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Webhooks.Grains.Projects;

namespace Webhooks.Grains.SmartCommits;

/// <summary>The <see cref="AlmLink"/> table's mapping (applied by <c>ApplyConfigurationsFromAssembly</c>).</summary>
internal sealed class AlmLinkConfiguration : IEntityTypeConfiguration<AlmLink>
{
    public void Configure(EntityTypeBuilder<AlmLink> link)
    {
        link.ToTable("alm_links");
        link.Property(l => l.IssueKey).HasMaxLength(100);
        link.Property(l => l.RepositoryKey).HasMaxLength(500);
        link.Property(l => l.Commit).HasMaxLength(64);
        link.Property(l => l.Ref).HasMaxLength(500);
        link.Property(l => l.Author).HasMaxLength(500);
        link.Property(l => l.AuthorEmail).HasMaxLength(500);
        link.Property(l => l.Message).HasMaxLength(4000);
        link.Property(l => l.Commands)
            .HasColumnType("jsonb")
            .HasConversion(
                commands => JsonSerializer.Serialize(commands, JsonSerializerOptions.Default),
                json => JsonSerializer.Deserialize<List<SmartCommitCommand>>(json, JsonSerializerOptions.Default) ?? new(),
                new ValueComparer<List<SmartCommitCommand>>(
                    (a, b) => a!.SequenceEqual(b!),
                    commands => commands.Aggregate(0, (hash, command) => HashCode.Combine(hash, command)),
                    commands => commands.ToList()));
        link.HasOne<Project>().WithMany().HasForeignKey(l => l.ProjectId).OnDelete(DeleteBehavior.Cascade);
        // Linking is idempotent: a repeated push (or the same commit pushed to another branch) adds nothing.
        link.HasIndex(l => new { l.ProjectId, l.IssueKey, l.Commit }).IsUnique();
        // An issue's commits, newest first.
        link.HasIndex(l => new { l.ProjectId, l.IssueKey, l.CommittedAt }).IsDescending(false, false, true);
    }
}
