import Glibc
import InotifyCommandLine

exit(InotifyCommand.main(arguments: InotifyCommand.rawArguments()))
