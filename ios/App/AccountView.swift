import SwiftUI
#if canImport(LofavorCore)
import LofavorCore
#endif

/// Who is logged in, with login and logout. The membership is shown to the member only.
struct AccountView: View {
    /// The app's one core.
    let core: LofavorCore
    @ObservedObject var login: LoginController

    var body: some View {
        Section(header: Text("account.title")) {
            switch login.event {
            case let .loggedIn(member)?, let .profileRefreshed(member)?:
                Text("account.loggedInAs \(member.name ?? member.subject)")
                if let membership = member.membership {
                    Text("account.membership \(membership.union)")
                }
                Button("account.logOut") { login.logOut(core) }
            case let .loggedOut(reason)?:
                if reason == .sessionEnded { Text("account.sessionEnded") }
                Button("account.logIn") { login.logIn(core) }
            case nil:
                ProgressView()
            }
            if let problem = login.problem {
                Text("status.failed \(problem)")
            }
        }
        .onAppear { login.attach(core) }
        .alert("account.unsyncedTitle", isPresented: $login.confirmForcedLogout) {
            Button("account.logOutAnyway", role: .destructive) { login.logOut(core, force: true) }
            Button("account.keepSession", role: .cancel) {}
        } message: {
            Text("account.unsyncedText")
        }
    }
}
