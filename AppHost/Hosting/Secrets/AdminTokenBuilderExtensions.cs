using Webhooks.AppHost.Hosting.Resources;

namespace Webhooks.AppHost.Hosting.Secrets;

public static class AdminTokenBuilderExtensions
{
    /// <summary>The admin token, generated on first run and kept in <c>&lt;data-dir&gt;/admin-token</c> (a secret parameter in Aspire terms).</summary>
    public static IResourceBuilder<AdminTokenResource> AddAdminToken(this IDistributedApplicationBuilder builder, string name) =>
        builder.AddResource(new AdminTokenResource(name));
}
