import SwiftUI
#if canImport(LofavorCore)
import LofavorCore
#endif

/// Who is logged in, with login and logout. The membership is shown to the member only.
struct AccountSection: View {
    /// The app's one core.
    let core: LofavorCore
    /// Login and the session.
    @Bindable var login: LoginController

    var body: some View {
        Section {
            switch login.event {
            case let .loggedIn(member)?, let .profileRefreshed(member)?:
                Text("account.loggedInAs \(member.name ?? member.subject)")
                if let membership = member.membership {
                    Text("account.membership \(membership.union)")
                }
                Button {
                    login.logOut(core)
                } label: {
                    Text("account.logOut")
                }
                .disabled(login.busy)
            case let .loggedOut(reason)?:
                if reason == .sessionEnded { Text("account.sessionEnded") }
                Button {
                    login.logIn(core)
                } label: {
                    Text("account.logIn")
                }
                // A second tap while a login is under way does nothing (the controller
                // ignores it too); the button says so by being disabled.
                .disabled(login.busy)
            case nil:
                ProgressView()
            }
            if login.busy {
                ProgressView()
            }
            if let problem = login.problem {
                LoginProblemText(problem: problem)
            }
        } header: {
            Text("account.title").accessibilityAddTraits(.isHeader)
        }
        .onAppear { login.attach(core) }
        .alert(Text("account.unsyncedTitle"), isPresented: $login.confirmForcedLogout) {
            Button(role: .destructive) {
                login.logOut(core, force: true)
            } label: {
                Text("account.logOutAnyway")
            }
            Button(role: .cancel) {
            } label: {
                Text("account.keepSession")
            }
        } message: {
            Text("account.unsyncedText")
        }
    }
}

/// What went wrong with a login or logout, as a message.
private struct LoginProblemText: View {
    let problem: LoginController.Problem

    var body: some View {
        switch problem {
        case let .core(kind):
            ErrorMessage(kind: kind)
        case .browser:
            Label {
                Text("login.browser_failed")
            } icon: {
                Image(systemName: "exclamationmark.triangle.fill").accessibilityHidden(true)
            }
            .foregroundStyle(.red)
        }
    }
}
