using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Webhooks.Grains.Projects;

namespace Webhooks.Grains.Tokens;

/// <summary>The <see cref="ApiToken"/> table's mapping (applied by <c>ApplyConfigurationsFromAssembly</c>).</summary>
internal sealed class ApiTokenConfiguration : IEntityTypeConfiguration<ApiToken>
{
    public void Configure(EntityTypeBuilder<ApiToken> token)
    {
        token.ToTable("api_tokens");
        token.Property(t => t.Name).HasMaxLength(100);
        token.Property(t => t.Description).HasMaxLength(1000);
        token.Property(t => t.Prefix).HasMaxLength(16);
        token.Property(t => t.Type).HasConversion<string>().HasMaxLength(16);
        token.HasIndex(t => t.Hash).IsUnique();
        token.HasOne<Project>().WithMany().HasForeignKey(t => t.ProjectId).OnDelete(DeleteBehavior.Cascade);
    }
}
