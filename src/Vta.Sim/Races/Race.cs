namespace Vta.Sim.Races;

/// <summary>
/// Two instructions of different modules touch the same SRAM element, at least one writes it, and no chain of program
/// order and dependency tokens orders <see cref="Earlier"/> (earlier in the simulator's execution order) before
/// <see cref="Later"/>: on hardware they may run in either order. <see cref="SramIndex"/> is the first such element.
/// </summary>
public sealed record Race(RaceAccess Earlier, RaceAccess Later, SramBuffer Buffer, int SramIndex)
{
    public override string ToString() =>
        $"{Earlier} {Buffer.ToString().ToUpperInvariant()}[{SramIndex}] and {Later} it, with no dependency token ordering them";
}
