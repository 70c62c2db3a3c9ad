using Microsoft.AspNetCore.Routing;

namespace IrajePam.Simulator.Shapes
{
    /// <summary>
    /// One way an Iraje PAM deployment may present its REST API (base path, paging envelope, timestamp format, auth).
    /// A shape owns its routes and its wire format; the data it serves comes from the shape-neutral
    /// <see cref="SimulatorState"/>. Add a new deployment variant as a new class beside <see cref="DefaultShape"/>.
    /// </summary>
    internal interface IApiShape
    {
        string Name { get; }

        void Map(IEndpointRouteBuilder routes, SimulatorState state);
    }
}
