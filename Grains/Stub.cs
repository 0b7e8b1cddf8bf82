namespace Webhooks.Grains; public static class Stub {}
