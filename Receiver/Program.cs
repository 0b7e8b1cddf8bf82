using Webhooks.Receiver.Apis;
using Webhooks.Receiver.Extensions;
using Webhooks.ServiceDefaults.Networking;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.UseTrustedProxies();

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseAuthentication();
app.UseAuthorization();

app.MapDefaultEndpoints();
app.MapOpenApi();
app.MapClusterApi();
app.MapBitbucketIngressApi();
app.MapArmWebhookApi();
app.MapProjectsApi();
app.MapReceiversApi();
app.MapWarehousesApi();
app.MapNotificationSchemaApi();
app.MapFreightApi();
app.MapDeliveriesApi();
app.MapTokensApi();
app.MapSmartCommitsApi();

app.Run();
