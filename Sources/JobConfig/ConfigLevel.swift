/// Where a config value came from. The cases are in precedence order, lowest first:
/// built-in defaults < `--defaults` < `--meeting` < `--job` < `TESSERA_*` environment < flags.
/// `generated` (the recording id made up when no level sets one) ranks just above built-in.
public enum ConfigLevel: Sendable, Hashable, Comparable, CustomStringConvertible {
    case builtIn
    case generated
    case defaults(file: String)
    case meeting(file: String)
    case job(file: String)
    case environment(variable: String)
    case flag

    public var description: String {
        switch self {
        case .builtIn: "built-in"
        case .generated: "generated"
        case .defaults(let file): "--defaults \(file)"
        case .meeting(let file): "--meeting \(file)"
        case .job(let file): "--job \(file)"
        case .environment(let variable): "env \(variable)"
        case .flag: "flag"
        }
    }
}
