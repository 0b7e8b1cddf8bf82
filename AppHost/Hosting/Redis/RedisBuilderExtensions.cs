using Microsoft.Extensions.Configuration;
using Webhooks.AppHost.Hosting.Resources;

namespace Webhooks.AppHost.Hosting.Redis;

public static class RedisBuilderExtensions
{
    /// <summary>Redis (embedded Garnet), referenced as <c>ConnectionStrings__{name}</c>; <c>ConnectionStrings:{name}</c> replaces it.</summary>
    public static IResourceBuilder<RedisResource> AddRedis(this IDistributedApplicationBuilder builder, string name) =>
        builder.AddResource(new RedisResource(name)
        {
            ExternalConnectionString = builder.Configuration.GetConnectionString(name) is { Length: > 0 } configured ? configured : null,
        });
}
