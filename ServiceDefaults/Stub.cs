namespace Webhooks.ServiceDefaults; public static class Stub {}
