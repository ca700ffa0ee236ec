<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AnswerDialog</name>
    <message>
        <location filename="../../desktop_crf/ui/queries/dialogs.py" line="95"/>
        <source>Answer query #{0}</source>
        <translation>回答质疑 #{0}</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/queries/dialogs.py" line="96"/>
        <source>{0} asks: {1}</source>
        <translation>{0} 提问：{1}</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/queries/dialogs.py" line="99"/>
        <source>Your answer (what you checked, what you did)</source>
        <translation>您的回答（核查了什么、做了什么）</translation>
    </message>
</context>
<context>
    <name>AppController</name>
    <message>
        <location filename="../../desktop_crf/ui/shell/controller.py" line="113"/>
        <source>Unexpected error: {0}</source>
        <translation>意外错误：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/shell/controller.py" line="311"/>
        <source>Sync</source>
        <translation>同步</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/shell/controller.py" line="337"/>
        <source>Audit trail</source>
        <translation>稽查轨迹</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/shell/controller.py" line="352"/>
        <source>Study dashboard</source>
        <translation>研究概览</translation>
    </message>
</context>
<context>
    <name>AuditExport</name>
    <message>
        <location filename="../../desktop_crf/ui/audit/export.py" line="41"/>
        <source>Export the audit trail</source>
        <translation>导出稽查轨迹</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/audit/export.py" line="43"/>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/audit/export.py" line="55"/>
        <source>Exporting the audit trail…</source>
        <translation>正在导出稽查轨迹…</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/audit/export.py" line="55"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/audit/export.py" line="85"/>
        <source>Exporting the audit trail… {0} of {1}</source>
        <translation>正在导出稽查轨迹… {0} / {1}</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/audit/export.py" line="98"/>
        <source>Exported {0} entries to {1}.</source>
        <translation>已将 {0} 个条目导出到 {1}。</translation>
    </message>
</context>
<context>
    <name>AuditTableModel</name>
    <message>
        <location filename="../../desktop_crf/ui/audit/table.py" line="107"/>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/audit/table.py" line="108"/>
        <source>Entry</source>
        <translation>条目</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/audit/table.py" line="109"/>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/audit/table.py" line="110"/>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/audit/table.py" line="111"/>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/audit/table.py" line="112"/>
        <source>Subject / visit / form / item</source>
        <translation>受试者 / 访视 / 表单 / 数据项</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/audit/table.py" line="113"/>
        <source>Old → new</source>
        <translation>原值 → 新值</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/audit/table.py" line="114"/>
        <source>Unit</source>
        <translation>单位</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/audit/table.py" line="115"/>
        <source>Reason for change</source>
        <translation>修改原因</translation>
    </message>
</context>
<context>
    <name>AuditView</name>
    <message>
        <location filename="../../desktop_crf/ui/audit/view.py" line="86"/>
        <source>Select an entry to see all of it.</source>
        <translation>选择一个条目以查看其全部内容。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/audit/view.py" line="102"/>
        <source>Subject id</source>
        <translation>受试者编号</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/audit/view.py" line="105"/>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/audit/view.py" line="113"/>
        <source>All actions</source>
        <translation>全部操作</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/audit/view.py" line="117"/>
        <source>From</source>
        <translation>从</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/audit/view.py" line="118"/>
        <source>to</source>
        <translation>至</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/audit/view.py" line="121"/>
        <source>Apply</source>
        <translation>应用</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/audit/view.py" line="124"/>
        <source>Clear</source>
        <translation>清除</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/audit/view.py" line="145"/>
        <source>Load more</source>
        <translation>加载更多</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/audit/view.py" line="151"/>
        <source>Verify chain</source>
        <translation>验证哈希链</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/audit/view.py" line="154"/>
        <source>Recompute every entry&apos;s hash and check that none was changed or removed</source>
        <translation>重新计算每个条目的哈希值，检查是否有条目被修改或删除</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/audit/view.py" line="158"/>
        <source>Export CSV…</source>
        <translation>导出 CSV…</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/audit/view.py" line="194"/>
        <source>New entries came by sync: Apply the filters again to see them.</source>
        <translation>同步带来了新条目：请再次点击“应用”筛选以查看。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/audit/view.py" line="255"/>
        <source>{0} entries shown, newest first</source>
        <translation>已显示 {0} 个条目，最新的在前</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/audit/view.py" line="257"/>
        <source>(more with Load more)</source>
        <translation>（点击“加载更多”查看更早的条目）</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/audit/view.py" line="277"/>
        <source>Old → new: {0}</source>
        <translation>原值 → 新值：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/audit/view.py" line="279"/>
        <source>Reason for change: {0}</source>
        <translation>修改原因：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/audit/view.py" line="281"/>
        <source>Base revision: {0}</source>
        <translation>基准版本：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/audit/view.py" line="283"/>
        <source>Detail: {0}</source>
        <translation>详情：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/audit/view.py" line="284"/>
        <source>Previous hash: {0}</source>
        <translation>前一哈希值：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/audit/view.py" line="285"/>
        <source>Hash: {0}</source>
        <translation>哈希值：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/audit/view.py" line="300"/>
        <source>Verifying the audit trail…</source>
        <translation>正在验证稽查轨迹…</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/audit/view.py" line="308"/>
        <source>Audit trail verified: {0} entries, chain intact.</source>
        <translation>稽查轨迹已验证：共 {0} 个条目，哈希链完整。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/audit/view.py" line="313"/>
        <source>Audit trail broken at entry {0}#{1}: {2}. {3} entries were verified before it. Tell your data manager; do not change any data until it is explained.</source>
        <translation>稽查轨迹在条目 {0}#{1} 处断裂：{2}。此前已验证 {3} 个条目。请告知数据管理员；在查明原因之前请勿修改任何数据。</translation>
    </message>
</context>
<context>
    <name>AuditWording</name>
    <message>
        <location filename="../../desktop_crf/ui/audit/table.py" line="35"/>
        <source>Site created</source>
        <translation>创建中心</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/audit/table.py" line="36"/>
        <source>User added</source>
        <translation>添加用户</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/audit/table.py" line="37"/>
        <source>Password changed</source>
        <translation>修改密码</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/audit/table.py" line="38"/>
        <source>Password reset with the recovery key</source>
        <translation>用恢复密钥重置密码</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/audit/table.py" line="39"/>
        <source>Signed in</source>
        <translation>登录</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/audit/table.py" line="40"/>
        <source>Failed sign-in</source>
        <translation>登录失败</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/audit/table.py" line="41"/>
        <source>Unlocked</source>
        <translation>解锁</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/audit/table.py" line="42"/>
        <source>Locked</source>
        <translation>锁定</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/audit/table.py" line="43"/>
        <source>Signed out</source>
        <translation>退出登录</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/audit/table.py" line="44"/>
        <source>Tablet handed to the patient</source>
        <translation>平板交给患者</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/audit/table.py" line="45"/>
        <source>Device enrolled with the server</source>
        <translation>设备在服务器注册</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/audit/table.py" line="46"/>
        <source>Subject screened</source>
        <translation>受试者筛选</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/audit/table.py" line="47"/>
        <source>Subject record changed</source>
        <translation>受试者记录修改</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/audit/table.py" line="48"/>
        <source>Value entered or changed</source>
        <translation>录入或修改数值</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/audit/table.py" line="49"/>
        <source>Form status changed</source>
        <translation>表单状态变更</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/audit/table.py" line="50"/>
        <source>Form signed</source>
        <translation>表单签名</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/audit/table.py" line="51"/>
        <source>Conflict resolved</source>
        <translation>解决冲突</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/audit/table.py" line="52"/>
        <source>Query answered</source>
        <translation>回答质疑</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/audit/table.py" line="53"/>
        <source>Audit trail exported</source>
        <translation>导出稽查轨迹</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/audit/table.py" line="60"/>
        <source>entries are missing before it (expected number {0})</source>
        <translation>其前缺少条目（应为第 {0} 号）</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/audit/table.py" line="63"/>
        <source>its content was changed after it was written</source>
        <translation>其内容在写入后被修改</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/audit/table.py" line="66"/>
        <source>it does not link to the entry before it (an entry was removed, inserted or changed)</source>
        <translation>它与前一个条目的哈希不衔接（有条目被删除、插入或修改）</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/audit/table.py" line="74"/>
        <source>Export cancelled. No file was made.</source>
        <translation>导出已取消，未生成任何文件。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/audit/table.py" line="79"/>
        <source>The audit trail was not exported: the folder {0} cannot be written. Choose another folder (for example Documents). No file was made.</source>
        <translation>稽查轨迹未导出：无法写入文件夹 {0}。请选择其他文件夹（例如“文档”）。未生成任何文件。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/audit/table.py" line="83"/>
        <source>The audit trail was not exported: the folder {0} does not exist. Choose another folder. No file was made.</source>
        <translation>稽查轨迹未导出：文件夹 {0} 不存在。请选择其他文件夹。未生成任何文件。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/audit/table.py" line="87"/>
        <source>The audit trail was not exported to {0}: the disk is full. Free some space or choose another drive. No file was made.</source>
        <translation>稽查轨迹未能导出到 {0}：磁盘已满。请释放磁盘空间或选择其他驱动器。未生成任何文件。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/audit/table.py" line="91"/>
        <source>The audit trail was not exported to {0}: {1}. No file was made.</source>
        <translation>稽查轨迹未能导出到 {0}：{1}。未生成任何文件。</translation>
    </message>
</context>
<context>
    <name>ChartWidget</name>
    <message>
        <location filename="../../desktop_crf/ui/reports/charts.py" line="135"/>
        <source>Save chart as PNG…</source>
        <extracomment>Charts are laid out for this size on a PDF page (device pixels at 96 dpi).</extracomment>
        <translation>将图表保存为PNG…</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/reports/charts.py" line="136"/>
        <source>Save chart as PDF…</source>
        <translation>将图表保存为PDF…</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/reports/charts.py" line="147"/>
        <source>PNG images (*.png)</source>
        <translation>PNG图片 (*.png)</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/reports/charts.py" line="147"/>
        <source>PDF files (*.pdf)</source>
        <translation>PDF文件 (*.pdf)</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/reports/charts.py" line="149"/>
        <source>Save the chart</source>
        <translation>保存图表</translation>
    </message>
</context>
<context>
    <name>EnrolDialog</name>
    <message>
        <location filename="../../desktop_crf/ui/subjects/enrol_dialog.py" line="36"/>
        <source>Enrol {0}</source>
        <translation>入组 {0}</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/enrol_dialog.py" line="51"/>
        <source>YYYY-MM-DD</source>
        <translation>YYYY-MM-DD</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/enrol_dialog.py" line="54"/>
        <source>Arm</source>
        <translation>组别</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/enrol_dialog.py" line="55"/>
        <source>NA drug</source>
        <translation>核苷（酸）类似物</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/enrol_dialog.py" line="57"/>
        <source>Consent date</source>
        <translation>知情同意日期</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/enrol_dialog.py" line="58"/>
        <source>Consent version</source>
        <translation>知情同意书版本</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/enrol_dialog.py" line="66"/>
        <source>Enrol</source>
        <translation>入组</translation>
    </message>
</context>
<context>
    <name>ErrorDisplay</name>
    <message>
        <location filename="../../desktop_crf/ui/errors.py" line="59"/>
        <source>desktop-crf</source>
        <translation>desktop-crf</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/errors.py" line="79"/>
        <source>desktop-crf: unexpected error</source>
        <translation>desktop-crf：意外错误</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/errors.py" line="82"/>
        <source>Something went wrong inside desktop-crf. Nothing saved before was lost. Please send the details below and the log to your data manager.</source>
        <translation>desktop-crf 内部出错。之前保存的数据均未丢失。请将以下详细信息和日志发送给您的数据管理员。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/errors.py" line="89"/>
        <source>The log is in {0}</source>
        <translation>日志位于 {0}</translation>
    </message>
</context>
<context>
    <name>FormView</name>
    <message>
        <location filename="../../desktop_crf/ui/form/view.py" line="158"/>
        <source>Save draft (Ctrl+S)</source>
        <translation>保存草稿（Ctrl+S）</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/form/view.py" line="161"/>
        <source>Complete</source>
        <translation>完成</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/form/view.py" line="164"/>
        <source>Sign…</source>
        <translation>签名…</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/form/view.py" line="369"/>
        <source>In conflict: this value was also changed on another computer ({0}). Choose the right one with a reason under Queries on the subject or in the Sync tab.</source>
        <translation>数据冲突：此数值也在另一台电脑上被修改（{0}）。请在受试者页面的“质疑”或“同步”标签页中选择正确的值并填写原因。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/form/rows.py" line="100"/>
        <source>Add {0}</source>
        <translation>添加{0}</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/form/view.py" line="321"/>
        <source>Unsaved typing from before was restored. Save to keep it.</source>
        <translation>已恢复之前未保存的输入。请保存以保留。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/form/notes.py" line="67"/>
        <source>not started</source>
        <translation>未开始</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/form/notes.py" line="68"/>
        <source>draft</source>
        <translation>草稿</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/form/notes.py" line="69"/>
        <source>complete</source>
        <translation>已完成</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/form/notes.py" line="78"/>
        <source>Signed by {0} on {1} UTC — “{2}”</source>
        <translation>由{0}于 {1} UTC 签名——“{2}”</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/form/notes.py" line="83"/>
        <source>Signature broken: the data changed after {0} signed on {1} UTC. Re-sign required.</source>
        <translation>签名已失效：{0}于 {1} UTC 签名后数据已更改。需要重新签名。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/form/notes.py" line="47"/>
        <source>{0} errors, {1} warnings</source>
        <translation>{0} 个错误，{1} 个警告</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/form/notes.py" line="57"/>
        <source>{0} errors must be corrected before the form can be completed.</source>
        <translation>必须更正 {0} 个错误后才能完成此表单。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/form/saving.py" line="114"/>
        <source>Please confirm</source>
        <translation>请确认</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/form/saving.py" line="116"/>
        <source>Some values are unusual. Save them as entered?</source>
        <translation>部分数值异常。按输入内容保存吗？</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/form/saving.py" line="209"/>
        <source>Suggested adverse event</source>
        <translation>建议的不良事件</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/form/saving.py" line="211"/>
        <source>{0} → CTCAE grade {1} ({2}): add to the AE log?</source>
        <translation>{0} → CTCAE {1} 级（{2}）：加入不良事件记录吗？</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/form/signing.py" line="57"/>
        <source>Save the form before signing it.</source>
        <translation>请先保存表单再签名。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/form/merging.py" line="90"/>
        <source>Not saved: values changed on another computer while this form was open.</source>
        <translation>未保存：此表单打开期间，另一台电脑修改了其中的值。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/form/merging.py" line="97"/>
        <source>Changed on another computer, now shown: {0}.</source>
        <translation>已在另一台电脑上修改，现已显示：{0}。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/form/merging.py" line="103"/>
        <source>Also changed on another computer: {0}. Your typing is kept; saving it replaces those values, with a reason for change.</source>
        <translation>另一台电脑也修改了：{0}。您输入的内容已保留；保存时将替换这些值，并需填写修改原因。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/form/merging.py" line="111"/>
        <source>Check the values, then save again.</source>
        <translation>请核对这些值，然后再次保存。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/form/merging.py" line="121"/>
        <source>Saved from another tab, now shown: {0}.</source>
        <translation>已在另一个标签页中保存，现已显示：{0}。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/form/merging.py" line="127"/>
        <source>Also saved from another tab: {0}. Your typing is kept; saving it replaces those values, with a reason for change.</source>
        <translation>另一个标签页也保存了：{0}。您输入的内容已保留；保存时将以更改原因替换这些值。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/form/item_queries.py" line="39"/>
        <source>Right-click to raise a query on this item</source>
        <translation>右键点击可对此项提出质疑</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/form/item_queries.py" line="49"/>
        <source>Raise a query on this item…</source>
        <translation>对此项提出质疑…</translation>
    </message>
</context>
<context>
    <name>ItemField</name>
    <message>
        <location filename="../../desktop_crf/ui/form/fields.py" line="85"/>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/form/fields.py" line="86"/>
        <source>No</source>
        <translation>否</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/form/fields.py" line="120"/>
        <source>YYYY-MM-DD</source>
        <translation>YYYY-MM-DD</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/form/fields.py" line="122"/>
        <source>YYYY-MM-DD, YYYY-MM or YYYY</source>
        <translation>YYYY-MM-DD、YYYY-MM 或 YYYY</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/form/fields.py" line="124"/>
        <source>number, or &lt;10 / &gt;1000</source>
        <translation>数值，或 &lt;10 / &gt;1000</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/form/fields.py" line="126"/>
        <source>calculated</source>
        <translation>自动计算</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../desktop_crf/ui/shell/main_window.py" line="54"/>
        <source>desktop-crf — {0}</source>
        <translation>desktop-crf——{0}</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/shell/main_window.py" line="72"/>
        <source>DEMO SITE — demonstration data only. This site never synchronises.</source>
        <translation>演示中心——仅为演示数据。本中心从不同步。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/shell/main_window.py" line="96"/>
        <location filename="../../desktop_crf/ui/shell/main_window.py" line="111"/>
        <source>Subjects</source>
        <translation>受试者</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/shell/main_window.py" line="108"/>
        <source>{0} ({1})</source>
        <translation>{0}（{1}）</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/shell/main_window.py" line="116"/>
        <source>Search subject id or initials</source>
        <translation>搜索受试者编号或姓名缩写</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/shell/main_window.py" line="123"/>
        <source>All arms</source>
        <translation>全部组别</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/shell/main_window.py" line="126"/>
        <source>All statuses</source>
        <translation>全部状态</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/shell/main_window.py" line="128"/>
        <source>screening</source>
        <translation>筛选中</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/shell/main_window.py" line="129"/>
        <source>enrolled</source>
        <translation>已入组</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/shell/main_window.py" line="130"/>
        <source>withdrawn</source>
        <translation>已退出</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/shell/main_window.py" line="133"/>
        <source>Visits open or overdue</source>
        <translation>访视进行中或已逾期</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/shell/main_window.py" line="142"/>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/shell/main_window.py" line="150"/>
        <source>New screening</source>
        <translation>新建筛选</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/shell/main_window.py" line="155"/>
        <source>Sync now</source>
        <translation>立即同步</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/shell/main_window.py" line="157"/>
        <source>Send pending changes and fetch queries now</source>
        <translation>立即发送待同步的更改并获取质疑</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/shell/main_window.py" line="161"/>
        <source>Study dashboard</source>
        <translation>研究概览</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/shell/main_window.py" line="164"/>
        <source>Enrolment, visits, safety, queries and the curves per arm, at a glance</source>
        <translation>入组、访视、安全性、质疑及各组生存曲线一览</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/shell/main_window.py" line="169"/>
        <source>Audit trail</source>
        <translation>稽查轨迹</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/shell/main_window.py" line="171"/>
        <source>Review, verify and export the audit trail</source>
        <translation>查看、验证并导出稽查轨迹</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/shell/main_window.py" line="174"/>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/shell/main_window.py" line="178"/>
        <source>Lock</source>
        <translation>锁定</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/shell/main_window.py" line="233"/>
        <source>{0} subjects</source>
        <translation>{0} 名受试者</translation>
    </message>
</context>
<context>
    <name>QueryList</name>
    <message>
        <location filename="../../desktop_crf/ui/queries/query_list.py" line="55"/>
        <source>#</source>
        <translation>#</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/queries/query_list.py" line="55"/>
        <source>Subject</source>
        <translation>受试者</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/queries/query_list.py" line="55"/>
        <source>Where</source>
        <translation>位置</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/queries/query_list.py" line="55"/>
        <source>Query</source>
        <translation>质疑</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/queries/query_list.py" line="56"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/queries/query_list.py" line="56"/>
        <source>Values / answers</source>
        <translation>数值 / 回答</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/queries/query_list.py" line="70"/>
        <source>Show closed</source>
        <translation>显示已关闭</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/queries/query_list.py" line="74"/>
        <source>Answer…</source>
        <translation>回答…</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/queries/query_list.py" line="77"/>
        <source>Resolve conflict…</source>
        <translation>解决冲突…</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/queries/query_list.py" line="83"/>
        <source>Raise query…</source>
        <translation>提出质疑…</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/queries/query_list.py" line="86"/>
        <source>Close query…</source>
        <translation>关闭质疑…</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/queries/query_list.py" line="89"/>
        <source>Reopen…</source>
        <translation>重新打开…</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/queries/query_list.py" line="98"/>
        <source>No queries.</source>
        <translation>没有质疑。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/queries/query_list.py" line="150"/>
        <source>conflict: {0}</source>
        <translation>冲突：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/queries/query_list.py" line="155"/>
        <source>not sent yet</source>
        <translation>尚未发送</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/queries/query_list.py" line="163"/>
        <source>Closed by {0} at {1}: {2}</source>
        <translation>{0} 于 {1} 关闭：{2}</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/queries/query_list.py" line="173"/>
        <source>open, not sent yet</source>
        <translation>未解决，尚未发送</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/queries/query_list.py" line="175"/>
        <source>open</source>
        <translation>未解决</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/queries/query_list.py" line="176"/>
        <source>answered</source>
        <translation>已回答</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/queries/query_list.py" line="177"/>
        <source>closed</source>
        <translation>已关闭</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/queries/query_list.py" line="266"/>
        <source>Close query #{0}</source>
        <translation>关闭质疑 #{0}</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/queries/query_list.py" line="267"/>
        <source>Closing says the answer is accepted. {0}</source>
        <translation>关闭表示接受该回答。{0}</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/queries/query_list.py" line="268"/>
        <source>Closing remark (e.g. verified against the source document)</source>
        <translation>关闭说明（例如：已与原始文件核对）</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/queries/query_list.py" line="274"/>
        <source>Reopen query #{0}</source>
        <translation>重新打开质疑 #{0}</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/queries/query_list.py" line="275"/>
        <source>Reopening sends the query back to the site. {0}</source>
        <translation>重新打开会将质疑退回研究中心。{0}</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/queries/query_list.py" line="276"/>
        <source>What is still needed</source>
        <translation>仍需处理的内容</translation>
    </message>
</context>
<context>
    <name>QueryTextDialog</name>
    <message>
        <location filename="../../desktop_crf/ui/queries/dialogs.py" line="77"/>
        <source>the subject as a whole</source>
        <translation>整个受试者</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/queries/dialogs.py" line="79"/>
        <source>Raise a query</source>
        <translation>提出质疑</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/queries/dialogs.py" line="80"/>
        <source>Subject {0}: {1}. The site sees the query at once on this computer, and on the others after the next sync.</source>
        <translation>受试者 {0}：{1}。本电脑上研究中心可立即看到该质疑，其他电脑在下次同步后可见。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/queries/dialogs.py" line="85"/>
        <source>What should the site check or correct?</source>
        <translation>研究中心应核对或更正什么？</translation>
    </message>
</context>
<context>
    <name>ReasonDialog</name>
    <message>
        <location filename="../../desktop_crf/ui/common/dialogs.py" line="42"/>
        <source>Reason for change</source>
        <translation>修改原因</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/common/dialogs.py" line="45"/>
        <source>You are changing values that were saved before ({0}). Say why.</source>
        <translation>您正在修改已保存的数值（{0}）。请说明原因。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/common/dialogs.py" line="52"/>
        <source>e.g. transcription error, lab report corrected</source>
        <translation>例如：转录错误、化验报告更正</translation>
    </message>
</context>
<context>
    <name>Reports</name>
    <message>
        <location filename="../../desktop_crf/ui/reports/build.py" line="71"/>
        <source>{0}: n = {1}, events {2}</source>
        <translation>{0}：n = {1}，事件 {2}</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/reports/build.py" line="88"/>
        <source>Log-rank p = {0}</source>
        <translation>Log-rank检验 p = {0}</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/reports/build.py" line="90"/>
        <source>Years since the radical treatment</source>
        <translation>根治性治疗后年数</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/reports/build.py" line="92"/>
        <source>Years since the first dose</source>
        <translation>首次给药后年数</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/reports/build.py" line="94"/>
        <source>Cumulative incidence</source>
        <translation>累积发生率</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/reports/build.py" line="96"/>
        <source>Event-free probability</source>
        <translation>无事件概率</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/reports/build.py" line="101"/>
        <source>Number at risk</source>
        <translation>风险人数</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/reports/build.py" line="105"/>
        <source>No enrolled subject has a start date yet.</source>
        <translation>尚无已入组受试者有起始日期。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/reports/build.py" line="130"/>
        <source>Week</source>
        <translation>周</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/reports/build.py" line="131"/>
        <source>Proportion of subjects</source>
        <translation>受试者比例</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/reports/build.py" line="134"/>
        <source>Wilson 95% intervals</source>
        <translation>Wilson 95%置信区间</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/reports/build.py" line="135"/>
        <source>No result recorded yet.</source>
        <translation>尚无检测结果。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/reports/build.py" line="144"/>
        <source>{0} of {1} enrolled ({2:.0f}%)</source>
        <translation>已入组 {0} / {1}（{2:.0f}%）</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/reports/build.py" line="149"/>
        <source>Enrolment by arm</source>
        <translation>各组入组情况</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/reports/build.py" line="151"/>
        <source>Enrolled</source>
        <translation>已入组</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/reports/build.py" line="153"/>
        <source>No subject enrolled yet.</source>
        <translation>尚无受试者入组。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/reports/build.py" line="162"/>
        <source>In window</source>
        <translation>窗口内</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/reports/build.py" line="163"/>
        <source>Early</source>
        <translation>提前</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/reports/build.py" line="164"/>
        <source>Late</source>
        <translation>延迟</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/reports/build.py" line="165"/>
        <source>Missed</source>
        <translation>缺失</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/reports/build.py" line="166"/>
        <location filename="../../desktop_crf/ui/reports/tables.py" line="148"/>
        <source>Overdue</source>
        <translation>已逾期</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/reports/build.py" line="173"/>
        <source>{0:.0f}% in window</source>
        <translation>窗口内完成 {0:.0f}%</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/reports/build.py" line="175"/>
        <source>Visit compliance</source>
        <translation>访视依从性</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/reports/build.py" line="180"/>
        <source>No visit has fallen due yet.</source>
        <translation>尚无到期访视。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/reports/build.py" line="194"/>
        <source>≤ 7 days</source>
        <translation>≤ 7天</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/reports/build.py" line="195"/>
        <source>8–14 days</source>
        <translation>8–14天</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/reports/build.py" line="196"/>
        <source>15–30 days</source>
        <translation>15–30天</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/reports/build.py" line="197"/>
        <source>&gt; 30 days</source>
        <translation>&gt; 30天</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/reports/build.py" line="201"/>
        <source>Oldest: {0} days</source>
        <translation>最久：{0}天</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/reports/build.py" line="203"/>
        <source>Open queries by age</source>
        <translation>未关闭质疑的时长</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/reports/build.py" line="207"/>
        <source>Open</source>
        <translation>未关闭</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/reports/build.py" line="211"/>
        <source>No open query.</source>
        <translation>无未关闭的质疑。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/reports/tables.py" line="124"/>
        <source>CTCAE term</source>
        <translation>CTCAE术语</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/reports/tables.py" line="128"/>
        <source>{0}: subjects</source>
        <translation>{0}：受试者数</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/reports/tables.py" line="129"/>
        <source>{0}: events</source>
        <translation>{0}：事件数</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/reports/tables.py" line="117"/>
        <source>{0} + {1} not graded</source>
        <translation>{0} + {1} 例未分级</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/reports/tables.py" line="130"/>
        <source>{0}: events by grade 1 · 2 · 3 · 4 · 5</source>
        <translation>{0}：按1 · 2 · 3 · 4 · 5级的事件数</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/reports/tables.py" line="147"/>
        <source>To report</source>
        <translation>待报告</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/reports/tables.py" line="149"/>
        <source>Reported on time</source>
        <translation>已按时报告</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/reports/tables.py" line="150"/>
        <source>Reported late</source>
        <translation>已逾期报告</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/reports/tables.py" line="151"/>
        <source>Awareness time missing</source>
        <translation>缺少获知时间</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/reports/tables.py" line="154"/>
        <location filename="../../desktop_crf/ui/reports/tables.py" line="184"/>
        <source>Subject</source>
        <translation>受试者</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/reports/tables.py" line="155"/>
        <location filename="../../desktop_crf/ui/reports/tables.py" line="185"/>
        <location filename="../../desktop_crf/ui/reports/tables.py" line="239"/>
        <source>Arm</source>
        <translation>组别</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/reports/tables.py" line="156"/>
        <source>Term</source>
        <translation>术语</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/reports/tables.py" line="157"/>
        <source>Grade</source>
        <translation>分级</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/reports/tables.py" line="158"/>
        <source>Aware</source>
        <translation>获知时间</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/reports/tables.py" line="159"/>
        <source>Due</source>
        <translation>截止时间</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/reports/tables.py" line="160"/>
        <source>Reported</source>
        <translation>报告时间</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/reports/tables.py" line="161"/>
        <source>Clock</source>
        <translation>时限</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/reports/tables.py" line="186"/>
        <source>Visit</source>
        <translation>访视</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/reports/tables.py" line="187"/>
        <source>Window closed</source>
        <translation>窗口关闭日期</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/reports/tables.py" line="188"/>
        <source>Days overdue</source>
        <translation>逾期天数</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/reports/tables.py" line="207"/>
        <source>Inclusion</source>
        <translation>入选</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/reports/tables.py" line="208"/>
        <source>Exclusion</source>
        <translation>排除</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/reports/tables.py" line="211"/>
        <source>Criterion</source>
        <translation>标准</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/reports/tables.py" line="212"/>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/reports/tables.py" line="213"/>
        <source>Screen failures</source>
        <translation>筛选失败</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/reports/tables.py" line="214"/>
        <source>Not known yet</source>
        <translation>尚未确定</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/reports/tables.py" line="215"/>
        <source>Text</source>
        <translation>内容</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/reports/tables.py" line="238"/>
        <source>Endpoint</source>
        <translation>终点</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/reports/tables.py" line="240"/>
        <source>Year</source>
        <translation>年</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/reports/tables.py" line="241"/>
        <source>Estimate (95% CI)</source>
        <translation>估计值（95% CI）</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/reports/tables.py" line="242"/>
        <source>At risk</source>
        <translation>风险人数</translation>
    </message>
</context>
<context>
    <name>ReportsView</name>
    <message>
        <location filename="../../desktop_crf/ui/reports/view.py" line="124"/>
        <source>Study dashboard</source>
        <extracomment>A change is followed by a read this much later, so that a burst of changes costs one.</extracomment>
        <translation>研究概览</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/reports/view.py" line="133"/>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/reports/view.py" line="137"/>
        <source>Save charts as PDF…</source>
        <translation>将图表保存为PDF…</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/reports/view.py" line="175"/>
        <source>Estimates at the protocol&apos;s landmarks</source>
        <translation>方案规定时间点的估计值</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/reports/view.py" line="177"/>
        <source>Adverse events by term and arm</source>
        <translation>按术语和组别统计的不良事件</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/reports/view.py" line="179"/>
        <source>Serious adverse events and their 24-hour clock</source>
        <translation>严重不良事件及其24小时报告时限</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/reports/view.py" line="181"/>
        <source>Overdue visits</source>
        <translation>逾期访视</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/reports/view.py" line="183"/>
        <source>Screen failures by criterion</source>
        <translation>按标准统计的筛选失败</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/reports/view.py" line="193"/>
        <source>Computing…</source>
        <translation>正在计算…</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/reports/view.py" line="241"/>
        <source>Study dashboard — {0} · {1}</source>
        <translation>研究概览 — {0} · {1}</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/reports/view.py" line="243"/>
        <source>as of {0}</source>
        <translation>截至 {0}</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/reports/view.py" line="275"/>
        <source>Adverse events by term and arm (every grade)</source>
        <translation>按术语和组别统计的不良事件（所有分级）</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/reports/view.py" line="277"/>
        <source>Adverse events by term and arm (grade {0} and above; {1} below not counted)</source>
        <translation>按术语和组别统计的不良事件（{0}级及以上；低于该级的 {1} 例未计入）</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/reports/view.py" line="323"/>
        <source>Save the charts</source>
        <translation>保存图表</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/reports/view.py" line="325"/>
        <source>PDF files (*.pdf)</source>
        <translation>PDF文件 (*.pdf)</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/reports/view.py" line="339"/>
        <source>Charts saved to {0}</source>
        <translation>图表已保存至 {0}</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/reports/view.py" line="344"/>
        <source>The charts could not be written to {0}.</source>
        <translation>无法将图表写入 {0}。</translation>
    </message>
</context>
<context>
    <name>ResolveDialog</name>
    <message>
        <location filename="../../desktop_crf/ui/queries/dialogs.py" line="118"/>
        <source>Resolve a conflict</source>
        <translation>解决冲突</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/queries/dialogs.py" line="124"/>
        <source>{0} of subject {1} was changed on two computers from the same starting value. Both values are kept. Check the source document, choose the right value and give a reason; the choice is sent to the server and closes the conflict.</source>
        <translation>受试者 {1} 的 {0} 在两台电脑上从同一原值被修改。两个值都已保留。请核对原始文件，选择正确的值并填写原因；您的选择将发送到服务器并关闭该冲突。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/queries/dialogs.py" line="139"/>
        <source>Another value:</source>
        <translation>其他值：</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/queries/dialogs.py" line="147"/>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/queries/dialogs.py" line="150"/>
        <source>e.g. checked against the lab report</source>
        <translation>例如：已与化验报告核对</translation>
    </message>
</context>
<context>
    <name>SignDialog</name>
    <message>
        <location filename="../../desktop_crf/ui/common/dialogs.py" line="71"/>
        <location filename="../../desktop_crf/ui/common/dialogs.py" line="95"/>
        <source>Sign</source>
        <translation>签名</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/common/dialogs.py" line="75"/>
        <source>{0}, you are signing {1}. Your signature is linked to the data as they are now; any later change will require signing again.</source>
        <translation>{0}，您正在签署{1}。您的签名与当前数据关联；之后的任何修改都需要重新签名。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/common/dialogs.py" line="82"/>
        <source>I approve this form</source>
        <translation>我批准此表单</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/common/dialogs.py" line="87"/>
        <source>Meaning</source>
        <translation>签名含义</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/common/dialogs.py" line="88"/>
        <source>Password</source>
        <translation>密码</translation>
    </message>
</context>
<context>
    <name>SubjectTableModel</name>
    <message>
        <location filename="../../desktop_crf/ui/subjects/table.py" line="28"/>
        <source>Subject</source>
        <translation>受试者</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/table.py" line="29"/>
        <source>Initials</source>
        <translation>姓名缩写</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/table.py" line="30"/>
        <source>Arm</source>
        <translation>组别</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/table.py" line="31"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/table.py" line="32"/>
        <source>Enrolled</source>
        <translation>入组日期</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/table.py" line="33"/>
        <source>Next visit</source>
        <translation>下次访视</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/table.py" line="34"/>
        <source>Window</source>
        <translation>时间窗</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/table.py" line="35"/>
        <source>Open AEs</source>
        <translation>未结束的不良事件</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/table.py" line="36"/>
        <source>SAE clock</source>
        <translation>SAE 报告时限</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/table.py" line="37"/>
        <source>Open queries</source>
        <translation>未解决质疑</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/table.py" line="38"/>
        <source>Unsynced changes</source>
        <translation>未同步更改</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/table.py" line="113"/>
        <source>open</source>
        <translation>进行中</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/table.py" line="114"/>
        <source>overdue</source>
        <translation>已逾期</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/table.py" line="115"/>
        <source>upcoming</source>
        <translation>即将到来</translation>
    </message>
</context>
<context>
    <name>SubjectView</name>
    <message>
        <location filename="../../desktop_crf/ui/subjects/view.py" line="91"/>
        <source>Visits and forms (double-click a form to open it)</source>
        <translation>访视与表单（双击表单打开）</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/view.py" line="95"/>
        <source>Visit / form</source>
        <translation>访视 / 表单</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/view.py" line="95"/>
        <source>Target</source>
        <translation>目标日期</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/view.py" line="95"/>
        <source>Window</source>
        <translation>时间窗</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/view.py" line="95"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/view.py" line="100"/>
        <source>Add unscheduled visit</source>
        <translation>添加计划外访视</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/view.py" line="104"/>
        <source>Sign visit…</source>
        <translation>签署访视…</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/view.py" line="116"/>
        <source>Eligibility (from the screening forms)</source>
        <translation>入选资格（来自筛选表单）</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/view.py" line="120"/>
        <source>Criterion</source>
        <translation>标准</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/view.py" line="120"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/view.py" line="120"/>
        <source>Why</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/view.py" line="122"/>
        <source>Enrol…</source>
        <translation>入组…</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/view.py" line="126"/>
        <source>Adverse events</source>
        <translation>不良事件</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/view.py" line="130"/>
        <source>#</source>
        <translation>#</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/view.py" line="130"/>
        <source>Term</source>
        <translation>术语</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/view.py" line="130"/>
        <source>Grade</source>
        <translation>分级</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/view.py" line="130"/>
        <source>Onset</source>
        <translation>发生日期</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/view.py" line="130"/>
        <location filename="../../desktop_crf/ui/subjects/view.py" line="289"/>
        <source>SAE</source>
        <translation>严重不良事件</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/view.py" line="134"/>
        <source>Open AE log</source>
        <translation>打开不良事件记录</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/view.py" line="138"/>
        <source>Queries (from the monitor, and conflicts)</source>
        <translation>质疑（来自监查员及数据冲突）</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/view.py" line="182"/>
        <source>NA: {0}</source>
        <translation>核苷（酸）类似物：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/view.py" line="185"/>
        <source>consent {0} (version {1})</source>
        <translation>知情同意 {0}（版本 {1}）</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/view.py" line="193"/>
        <location filename="../../desktop_crf/ui/subjects/view.py" line="211"/>
        <source>screening</source>
        <translation>筛选中</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/view.py" line="194"/>
        <source>enrolled</source>
        <translation>已入组</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/view.py" line="195"/>
        <source>withdrawn</source>
        <translation>已退出</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/view.py" line="200"/>
        <source>not started</source>
        <translation>未开始</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/view.py" line="201"/>
        <source>draft</source>
        <translation>草稿</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/view.py" line="202"/>
        <source>complete</source>
        <translation>已完成</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/view.py" line="203"/>
        <source>signed</source>
        <translation>已签名</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/view.py" line="204"/>
        <source>signature broken — re-sign required</source>
        <translation>签名已失效——需要重新签名</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/view.py" line="205"/>
        <source>upcoming</source>
        <translation>即将到来</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/view.py" line="206"/>
        <source>open</source>
        <translation>进行中</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/view.py" line="207"/>
        <source>overdue</source>
        <translation>已逾期</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/view.py" line="208"/>
        <source>done</source>
        <translation>已完成</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/view.py" line="209"/>
        <source>missed</source>
        <translation>已错过</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/view.py" line="210"/>
        <source>unscheduled</source>
        <translation>计划外</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/view.py" line="254"/>
        <source>met</source>
        <translation>符合</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/view.py" line="255"/>
        <source>not met</source>
        <translation>不符合</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/view.py" line="256"/>
        <source>unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/view.py" line="278"/>
        <source>Not eligible yet: {0}</source>
        <translation>尚不符合入选条件：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/view.py" line="302"/>
        <source>SAE 24-hour clock: {0}</source>
        <translation>严重不良事件24小时报告时限：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/view.py" line="329"/>
        <source>I approve the data of this visit</source>
        <translation>我批准此访视的数据</translation>
    </message>
</context>
<context>
    <name>SyncIndicator</name>
    <message>
        <location filename="../../desktop_crf/ui/sync/indicator.py" line="103"/>
        <source>Click for details.</source>
        <translation>点击查看详情。</translation>
    </message>
</context>
<context>
    <name>SyncPanel</name>
    <message>
        <location filename="../../desktop_crf/ui/sync/panel.py" line="45"/>
        <source>Sync now</source>
        <translation>立即同步</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/sync/panel.py" line="55"/>
        <source>Changes the server refused</source>
        <translation>服务器拒收的更改</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/sync/panel.py" line="60"/>
        <source>The server did not accept these changes. They are kept on this computer and nothing is lost. Do not enter the data again: tell your data manager and quote the id and the reason shown.</source>
        <translation>服务器未接受这些更改。它们保存在本电脑上，没有丢失。请勿重新录入数据：请告知您的数据管理员，并提供所示的编号和原因。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/sync/panel.py" line="71"/>
        <source>Changes</source>
        <translation>更改</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/sync/panel.py" line="71"/>
        <source>Refused at</source>
        <translation>拒收时间</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/sync/panel.py" line="71"/>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/sync/panel.py" line="71"/>
        <source>Id</source>
        <translation>编号</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/sync/panel.py" line="75"/>
        <source>Queries and conflicts</source>
        <translation>质疑与冲突</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/sync/panel.py" line="80"/>
        <source>A monitor&apos;s query: answer it. A conflict: the same value was changed on two computers; both are kept until you choose the right one with a reason. Double-click to open the form.</source>
        <translation>监查员的质疑：请回答。冲突：同一数值在两台电脑上被修改；两个值都会保留，直到您选择正确的值并填写原因。双击可打开表单。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/sync/panel.py" line="109"/>
        <source>entries {0}–{1}</source>
        <translation>条目 {0}–{1}</translation>
    </message>
</context>
<context>
    <name>SyncWording</name>
    <message>
        <location filename="../../desktop_crf/ui/sync/indicator.py" line="42"/>
        <source>Demo site: never syncs</source>
        <translation>演示中心：从不同步</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/sync/indicator.py" line="43"/>
        <source>Not connected to a sync server</source>
        <translation>未连接同步服务器</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/sync/indicator.py" line="44"/>
        <source>Sync: checking…</source>
        <translation>同步：检查中…</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/sync/indicator.py" line="45"/>
        <source>● Syncing…</source>
        <translation>● 正在同步…</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/sync/indicator.py" line="46"/>
        <source>● Online</source>
        <translation>● 在线</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/sync/indicator.py" line="47"/>
        <source>○ Offline</source>
        <translation>○ 离线</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/sync/indicator.py" line="48"/>
        <source>▲ Sync stopped</source>
        <translation>▲ 同步已停止</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/sync/indicator.py" line="53"/>
        <source>{0} pending</source>
        <translation>{0} 条待同步</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/sync/indicator.py" line="55"/>
        <source>last sync {0}</source>
        <translation>上次同步 {0}</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/sync/indicator.py" line="57"/>
        <source>never synced</source>
        <translation>从未同步</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/sync/indicator.py" line="59"/>
        <source>1 conflict</source>
        <translation>1 个冲突</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/sync/indicator.py" line="61"/>
        <source>{0} conflicts</source>
        <translation>{0} 个冲突</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/sync/indicator.py" line="63"/>
        <source>{0} refused</source>
        <translation>{0} 个被拒收</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/sync/indicator.py" line="65"/>
        <source>1 open query</source>
        <translation>1 个未解决质疑</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/sync/indicator.py" line="67"/>
        <source>{0} open queries</source>
        <translation>{0} 个未解决质疑</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/sync/indicator.py" line="74"/>
        <source>The demonstration site&apos;s made-up data is never sent anywhere.</source>
        <translation>演示中心的虚构数据不会发送到任何地方。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/sync/indicator.py" line="77"/>
        <source>Server: {0}</source>
        <translation>服务器：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/sync/indicator.py" line="78"/>
        <source>Changes waiting to be sent: {0}</source>
        <translation>等待发送的更改：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/sync/indicator.py" line="80"/>
        <source>Last success: {0}</source>
        <translation>上次成功：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/sync/indicator.py" line="83"/>
        <source>Last error ({0}): {1}</source>
        <translation>上次错误（{0}）：{1}</translation>
    </message>
</context>
<context>
    <name>Tiles</name>
    <message>
        <location filename="../../desktop_crf/ui/reports/tiles.py" line="68"/>
        <source>enrolled of the study&apos;s target ({0:.0f}%)</source>
        <translation>已入组 / 研究目标（{0:.0f}%）</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/reports/tiles.py" line="73"/>
        <source>in screening, {0} failing a criterion</source>
        <translation>筛选中，其中 {0} 例不符合标准</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/reports/tiles.py" line="79"/>
        <source>of visits due done in their window</source>
        <translation>到期访视在窗口内完成</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/reports/tiles.py" line="84"/>
        <source>visits overdue today</source>
        <translation>今日逾期访视</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/reports/tiles.py" line="90"/>
        <source>open queries, {0} older than 30 days</source>
        <translation>未关闭质疑，{0} 条超过30天</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/reports/tiles.py" line="98"/>
        <source>SAEs, {0} to report ({1} overdue)</source>
        <translation>严重不良事件，{0} 例待报告（{1} 例已逾期）</translation>
    </message>
</context>
<context>
    <name>UnlockWindow</name>
    <message>
        <location filename="../../desktop_crf/ui/shell/unlock_window.py" line="30"/>
        <source>desktop-crf — unlock</source>
        <translation>desktop-crf——解锁</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/shell/unlock_window.py" line="52"/>
        <source>The site was locked. Enter your password to continue.</source>
        <translation>中心已锁定。请输入密码继续。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/shell/unlock_window.py" line="59"/>
        <source>user name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/shell/unlock_window.py" line="63"/>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/shell/unlock_window.py" line="64"/>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/shell/unlock_window.py" line="80"/>
        <source>Unlock</source>
        <translation>解锁</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/shell/unlock_window.py" line="92"/>
        <source>Demo site: sign in as admin, nurse, investigator or monitor with the password demo-password.</source>
        <translation>演示中心：以 admin、nurse、investigator 或 monitor 登录，密码为 demo-password。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/shell/unlock_window.py" line="107"/>
        <source>desktop-crf</source>
        <translation>desktop-crf</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/shell/unlock_window.py" line="110"/>
        <source>DEMO — {0} (demonstration data, never synced)</source>
        <translation>演示——{0}（演示数据，从不同步）</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/shell/unlock_window.py" line="116"/>
        <source>Enter your user name and password.</source>
        <translation>请输入用户名和密码。</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <location filename="../../desktop_crf/app.py" line="49"/>
        <source>Open a site</source>
        <translation>打开中心</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/app.py" line="57"/>
        <source>No desktop-crf site was found in {0}.</source>
        <translation>在 {0} 中未找到 desktop-crf 中心。</translation>
    </message>
</context>
</TS>
