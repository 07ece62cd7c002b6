/* eCRM customisation of the sao web client, copied into var/sao by
   setup/install.sh (sao's index.html loads custom.js after sao itself). */
if (typeof Sao !== 'undefined') {
    Sao.config.title = 'eCRM';

    /* Live views: a list of a model named *.monitor (the service
       supervisor's queues and agents) reloads itself every
       Sao.ecrm.live_seconds while it is the tab shown, the browser tab is
       visible and nothing is being edited. */
    Sao.ecrm = {live_seconds: 30, live_reloads: 0};
    let live_reloaded = Date.now();
    window.setInterval(function() {
        if (Date.now() - live_reloaded < Sao.ecrm.live_seconds * 1000) {
            return;
        }
        live_reloaded = Date.now();
        const tab = Sao.Tab.tabs.get_current();
        const screen = tab && tab.screen;
        if (!document.hidden && screen
                && /\.monitor$/.test(screen.model_name)
                && screen.current_view
                && screen.current_view.view_type == 'tree'
                && !screen.modified()) {
            tab.reload(false).then(function() {
                Sao.ecrm.live_reloads += 1;
            });
        }
    }, 1000);
}
