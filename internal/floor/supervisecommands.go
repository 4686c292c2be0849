package floor

// The supervisor bench's commands: every drill-down of its screens, by key
// or by scanning CMD:<code> from the command sheet.
const (
	CmdSupOpen       Command = "SUP-OPEN"       // open the chosen line: a wave's orders, an order's story
	CmdSupBack       Command = "SUP-BACK"       // back one level
	CmdSupUp         Command = "SUP-UP"         // choose the line above
	CmdSupDown       Command = "SUP-DOWN"       // choose the line below
	CmdSupWaves      Command = "SUP-WAVES"      // every active wave
	CmdSupPeople     Command = "SUP-PEOPLE"     // pickers and packers, who needs help first
	CmdSupExceptions Command = "SUP-EXCEPTIONS" // the exceptions queue, oldest first
	CmdSupHealth     Command = "SUP-HEALTH"     // the site's health: stations and devices
	CmdSupResolve    Command = "SUP-RESOLVE"    // resolve the chosen exception: action, then reason
	CmdSupReassign   Command = "SUP-REASSIGN"   // move the chosen wave (or the chosen station's) to another cart
)

// SuperviseCommands are the supervisor bench's commands, in sheet order.
var SuperviseCommands = []CommandInfo{
	{CmdSupWaves, "Waves: every active wave"},
	{CmdSupOpen, "Open the chosen wave or order"},
	{CmdSupBack, "Back one level"},
	{CmdSupUp, "Choose the line above"},
	{CmdSupDown, "Choose the line below"},
	{CmdSupPeople, "People: who needs help first"},
	{CmdSupExceptions, "Exceptions, oldest first"},
	{CmdSupHealth, "Site health: stations and devices"},
	{CmdSupResolve, "Resolve the chosen exception"},
	{CmdSupReassign, "Reassign the chosen wave, or the chosen station's"},
	{CmdLogout, "Log out"},
}
