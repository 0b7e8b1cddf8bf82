using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Webhooks.Grains.SmartCommits;

/// <summary>The <see cref="SmartCommitSettings"/> table's mapping (applied by <c>ApplyConfigurationsFromAssembly</c>).</summary>
internal sealed class SmartCommitSettingsConfiguration : IEntityTypeConfiguration<SmartCommitSettings>
{
    public void Configure(EntityTypeBuilder<SmartCommitSettings> settings)
    {
        settings.ToTable("smart_commit_settings");
        settings.HasKey(s => s.ProjectId);
        settings.HasOne(s => s.Project).WithOne().HasForeignKey<SmartCommitSettings>(s => s.ProjectId).OnDelete(DeleteBehavior.Cascade);
    }
}
