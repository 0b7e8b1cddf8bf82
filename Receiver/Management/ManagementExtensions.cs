namespace Webhooks.Receiver.Management;

internal static class ManagementExtensions
{
    /// <summary>What the management API needs beyond storage: the public URL settings.</summary>
    public static IHostApplicationBuilder AddManagementServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<PublicUrlOptions>()
            .BindConfiguration(PublicUrlOptions.SectionName)
            .Validate(options => options.IsValid(), "Webhooks:PublicBaseUrl must be an absolute http(s) URL, such as https://webhooks.example.com.")
            .ValidateOnStart();
        builder.Services.AddSingleton<ReceiverUrls>();
        return builder;
    }
}
