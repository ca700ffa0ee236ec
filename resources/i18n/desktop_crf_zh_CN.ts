<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AeLogPanel</name>
    <message>
        <location filename="../../desktop_crf/ui/subjects/ae_panel.py" line="51"/>
        <source>Adverse events</source>
        <translation>不良事件</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/ae_panel.py" line="56"/>
        <source>#</source>
        <translation>#</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/ae_panel.py" line="56"/>
        <source>Term</source>
        <translation>术语</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/ae_panel.py" line="56"/>
        <location filename="../../desktop_crf/ui/subjects/ae_panel.py" line="142"/>
        <source>Grade</source>
        <translation>分级</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/ae_panel.py" line="56"/>
        <source>Onset</source>
        <translation>发生日期</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/ae_panel.py" line="56"/>
        <location filename="../../desktop_crf/ui/subjects/ae_panel.py" line="84"/>
        <source>SAE</source>
        <translation>严重不良事件</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/ae_panel.py" line="62"/>
        <source>Open AE log</source>
        <translation>打开不良事件记录</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/ae_panel.py" line="66"/>
        <source>Review…</source>
        <translation>复核…</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/ae_panel.py" line="69"/>
        <source>The lab value this event was created from has changed: review the event</source>
        <translation>创建此事件所依据的检验值已更改：请复核此事件</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/ae_panel.py" line="96"/>
        <source>{0} — to review: {1}</source>
        <translation>{0} —— 待复核：{1}</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/ae_panel.py" line="100"/>
        <source>{0} (below the reporting threshold)</source>
        <translation>{0}（低于报告阈值）</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/ae_panel.py" line="127"/>
        <source>Review adverse event {0}</source>
        <translation>复核不良事件 {0}</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/ae_panel.py" line="129"/>
        <source>{0}: the lab value it was created from changed ({1}). Say what you checked; change the grade if it no longer fits.</source>
        <translation>{0}：创建它所依据的检验值已更改（{1}）。请说明您核查了什么；如分级不再适用，请修改分级。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/ae_panel.py" line="132"/>
        <source>e.g. repeat sample confirms the event; grade kept</source>
        <translation>例如：复查样本证实该事件；分级不变</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/ae_panel.py" line="137"/>
        <source>keep grade {0}</source>
        <translation>保持 {0} 级</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/ae_panel.py" line="139"/>
        <source> (suggested by the new value)</source>
        <translation>（新值建议）</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/ae_panel.py" line="140"/>
        <source>grade {0}</source>
        <translation>{0} 级</translation>
    </message>
</context>
<context>
    <name>AnswerDialog</name>
    <message>
        <location filename="../../desktop_crf/ui/queries/dialogs.py" line="62"/>
        <source>Answer query #{0}</source>
        <translation>回答质疑 #{0}</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/queries/dialogs.py" line="64"/>
        <source>Answer the query (not sent yet)</source>
        <translation>回复质疑（尚未发送）</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/queries/dialogs.py" line="65"/>
        <source>{0} asks: {1}</source>
        <translation>{0} 提问：{1}</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/queries/dialogs.py" line="68"/>
        <source>Your answer (what you checked, what you did)</source>
        <translation>您的回答（核查了什么、做了什么）</translation>
    </message>
</context>
<context>
    <name>AppController</name>
    <message>
        <location filename="../../desktop_crf/ui/shell/controller.py" line="173"/>
        <source>Unexpected error: {0}</source>
        <translation>意外错误：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/shell/tabs.py" line="27"/>
        <source>Sync</source>
        <translation>同步</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/shell/tabs.py" line="73"/>
        <source>Audit trail</source>
        <translation>稽查轨迹</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/shell/tabs.py" line="82"/>
        <source>Laboratory ranges</source>
        <translation>实验室参考范围</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/shell/tabs.py" line="90"/>
        <source>Import lab results</source>
        <translation>导入检验结果</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/shell/tabs.py" line="104"/>
        <source>Study dashboard</source>
        <translation>研究概览</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/shell/tabs.py" line="119"/>
        <source>My tasks</source>
        <translation>我的任务</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/shell/tabs.py" line="127"/>
        <source>Source data verification</source>
        <translation>源数据核查</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/shell/tabs.py" line="135"/>
        <source>Monitoring visit</source>
        <translation>监查访视</translation>
    </message>
</context>
<context>
    <name>AuditExport</name>
    <message>
        <location filename="../../desktop_crf/ui/audit/export.py" line="39"/>
        <source>Export the audit trail</source>
        <translation>导出稽查轨迹</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/audit/export.py" line="41"/>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/audit/export.py" line="52"/>
        <source>Exporting the audit trail…</source>
        <translation>正在导出稽查轨迹…</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/audit/export.py" line="56"/>
        <source>Exporting the audit trail… {0} of {1}</source>
        <translation>正在导出稽查轨迹… {0} / {1}</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/audit/export.py" line="78"/>
        <source>Exported {0} entries to {1}.</source>
        <translation>已将 {0} 个条目导出到 {1}。</translation>
    </message>
</context>
<context>
    <name>AuditTableModel</name>
    <message>
        <location filename="../../desktop_crf/ui/audit/table.py" line="115"/>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/audit/table.py" line="116"/>
        <source>Entry</source>
        <translation>条目</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/audit/table.py" line="117"/>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/audit/table.py" line="118"/>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/audit/table.py" line="119"/>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/audit/table.py" line="120"/>
        <source>Subject / visit / form / item</source>
        <translation>受试者 / 访视 / 表单 / 数据项</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/audit/table.py" line="121"/>
        <source>Old → new</source>
        <translation>原值 → 新值</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/audit/table.py" line="122"/>
        <source>Unit</source>
        <translation>单位</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/audit/table.py" line="123"/>
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
        <location filename="../../desktop_crf/ui/audit/table.py" line="36"/>
        <source>Site created</source>
        <translation>创建中心</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/audit/table.py" line="37"/>
        <source>User added</source>
        <translation>添加用户</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/audit/table.py" line="38"/>
        <source>Password changed</source>
        <translation>修改密码</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/audit/table.py" line="39"/>
        <source>Password reset with the recovery key</source>
        <translation>用恢复密钥重置密码</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/audit/table.py" line="40"/>
        <source>Signed in</source>
        <translation>登录</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/audit/table.py" line="41"/>
        <source>Failed sign-in</source>
        <translation>登录失败</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/audit/table.py" line="42"/>
        <source>Unlocked</source>
        <translation>解锁</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/audit/table.py" line="43"/>
        <source>Locked</source>
        <translation>锁定</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/audit/table.py" line="44"/>
        <source>Signed out</source>
        <translation>退出登录</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/audit/table.py" line="45"/>
        <source>Tablet handed to the patient</source>
        <translation>平板交给患者</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/audit/table.py" line="46"/>
        <source>Device enrolled with the server</source>
        <translation>设备在服务器注册</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/audit/table.py" line="47"/>
        <source>Subject screened</source>
        <translation>受试者筛选</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/audit/table.py" line="48"/>
        <source>Subject record changed</source>
        <translation>受试者记录修改</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/audit/table.py" line="49"/>
        <source>Value entered or changed</source>
        <translation>录入或修改数值</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/audit/table.py" line="50"/>
        <source>Form status changed</source>
        <translation>表单状态变更</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/audit/table.py" line="51"/>
        <source>Form signed</source>
        <translation>表单签名</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/audit/table.py" line="52"/>
        <source>Conflict resolved</source>
        <translation>解决冲突</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/audit/table.py" line="53"/>
        <source>Query answered</source>
        <translation>回答质疑</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/audit/table.py" line="54"/>
        <source>Audit trail exported</source>
        <translation>导出稽查轨迹</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/audit/table.py" line="55"/>
        <source>Suggested adverse event declined</source>
        <translation>已拒绝建议的不良事件</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/audit/table.py" line="56"/>
        <source>Query raised</source>
        <translation>已提出质疑</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/audit/table.py" line="57"/>
        <source>Query closed</source>
        <translation>质疑已关闭</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/audit/table.py" line="58"/>
        <source>Query reopened</source>
        <translation>质疑已重新打开</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/audit/table.py" line="59"/>
        <source>Laboratory reference range recorded</source>
        <translation>已记录实验室参考范围</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/audit/table.py" line="60"/>
        <source>Laboratory reference range removed</source>
        <translation>已删除实验室参考范围</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/audit/table.py" line="61"/>
        <source>Data exported (ODM, CSV or casebook)</source>
        <translation>数据已导出（ODM、CSV 或病例报告）</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/audit/table.py" line="68"/>
        <source>entries are missing before it (expected number {0})</source>
        <translation>其前缺少条目（应为第 {0} 号）</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/audit/table.py" line="71"/>
        <source>its content was changed after it was written</source>
        <translation>其内容在写入后被修改</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/audit/table.py" line="74"/>
        <source>it does not link to the entry before it (an entry was removed, inserted or changed)</source>
        <translation>它与前一个条目的哈希不衔接（有条目被删除、插入或修改）</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/audit/table.py" line="82"/>
        <source>Export cancelled. No file was made.</source>
        <translation>导出已取消，未生成任何文件。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/audit/table.py" line="87"/>
        <source>The audit trail was not exported: the folder {0} cannot be written. Choose another folder (for example Documents). No file was made.</source>
        <translation>稽查轨迹未导出：无法写入文件夹 {0}。请选择其他文件夹（例如“文档”）。未生成任何文件。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/audit/table.py" line="91"/>
        <source>The audit trail was not exported: the folder {0} does not exist. Choose another folder. No file was made.</source>
        <translation>稽查轨迹未导出：文件夹 {0} 不存在。请选择其他文件夹。未生成任何文件。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/audit/table.py" line="95"/>
        <source>The audit trail was not exported to {0}: the disk is full. Free some space or choose another drive. No file was made.</source>
        <translation>稽查轨迹未能导出到 {0}：磁盘已满。请释放磁盘空间或选择其他驱动器。未生成任何文件。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/audit/table.py" line="99"/>
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
    <name>EligibilityPanel</name>
    <message>
        <location filename="../../desktop_crf/ui/subjects/eligibility_panel.py" line="31"/>
        <source>Eligibility (from the screening forms)</source>
        <translation>入选资格（来自筛选表单）</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/eligibility_panel.py" line="35"/>
        <source>Criterion</source>
        <translation>标准</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/eligibility_panel.py" line="35"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/eligibility_panel.py" line="35"/>
        <source>Why</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/eligibility_panel.py" line="37"/>
        <source>Enrol…</source>
        <translation>入组…</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/eligibility_panel.py" line="57"/>
        <source>Not eligible yet: {0}</source>
        <translation>尚不符合入选条件：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/eligibility_panel.py" line="63"/>
        <source>met</source>
        <translation>符合</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/eligibility_panel.py" line="64"/>
        <source>not met</source>
        <translation>不符合</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/eligibility_panel.py" line="65"/>
        <source>unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/eligibility_panel.py" line="83"/>
        <source>records disagree</source>
        <translation>记录不一致</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/eligibility_panel.py" line="85"/>
        <source>recomputed</source>
        <translation>已重新计算</translation>
    </message>
</context>
<context>
    <name>EnrolDialog</name>
    <message>
        <location filename="../../desktop_crf/ui/subjects/enrol_dialog.py" line="35"/>
        <source>Enrol {0}</source>
        <translation>入组 {0}</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/enrol_dialog.py" line="50"/>
        <source>YYYY-MM-DD</source>
        <translation>YYYY-MM-DD</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/enrol_dialog.py" line="53"/>
        <source>Arm</source>
        <translation>组别</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/enrol_dialog.py" line="54"/>
        <source>NA drug</source>
        <translation>核苷（酸）类似物</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/enrol_dialog.py" line="56"/>
        <source>Consent date</source>
        <translation>知情同意日期</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/enrol_dialog.py" line="57"/>
        <source>Consent version</source>
        <translation>知情同意书版本</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/enrol_dialog.py" line="61"/>
        <source>Enrol</source>
        <translation>入组</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/enrol_dialog.py" line="73"/>
        <source>From the consent form</source>
        <translation>来自知情同意表</translation>
    </message>
</context>
<context>
    <name>ErrorDisplay</name>
    <message>
        <location filename="../../desktop_crf/ui/errors.py" line="62"/>
        <source>desktop-crf</source>
        <translation>desktop-crf</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/errors.py" line="82"/>
        <source>desktop-crf: unexpected error</source>
        <translation>desktop-crf：意外错误</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/errors.py" line="85"/>
        <source>Something went wrong inside desktop-crf. Nothing saved before was lost. Please send the details below and the log to your data manager.</source>
        <translation>desktop-crf 内部出错。之前保存的数据均未丢失。请将以下详细信息和日志发送给您的数据管理员。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/errors.py" line="92"/>
        <source>The log is in {0}</source>
        <translation>日志位于 {0}</translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <location filename="../../desktop_crf/ui/exports/dialog.py" line="49"/>
        <source>Export data</source>
        <translation>导出数据</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/exports/dialog.py" line="59"/>
        <source>The whole site</source>
        <translation>整个中心</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/exports/dialog.py" line="62"/>
        <source>Only the visits done between</source>
        <translation>仅导出访视日期介于</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/exports/dialog.py" line="75"/>
        <source>and</source>
        <translation>至</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/exports/dialog.py" line="80"/>
        <source>A visit counts by the visit date recorded on its visit form, both days included; the running logs (adverse events, end of study) have no visit date and are left out.</source>
        <translation>以访视表单上记录的访视日期为准，含起止两日；持续记录（不良事件、研究结束）没有访视日期，不包含在内。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/exports/dialog.py" line="88"/>
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/exports/dialog.py" line="100"/>
        <location filename="../../desktop_crf/ui/exports/dialog.py" line="109"/>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/exports/dialog.py" line="101"/>
        <source>Subjects</source>
        <translation>受试者</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/exports/dialog.py" line="102"/>
        <source>Visits</source>
        <translation>访视</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/exports/dialog.py" line="104"/>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/exports/dialog.py" line="163"/>
        <source>Export to</source>
        <translation>导出到</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/exports/dialog.py" line="173"/>
        <source>Choose the subject whose casebook to print.</source>
        <translation>请选择要打印病例报告的受试者。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/exports/dialog.py" line="178"/>
        <source>The first day of the range is after the last: give the earlier first.</source>
        <translation>起始日期晚于结束日期：请先填写较早的日期。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/exports/dialog.py" line="183"/>
        <source>Choose the file to write.</source>
        <translation>请选择要写入的文件。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/exports/dialog.py" line="189"/>
        <source>Exporting…</source>
        <translation>正在导出…</translation>
    </message>
</context>
<context>
    <name>ExportRun</name>
    <message>
        <location filename="../../desktop_crf/ui/exports/run.py" line="104"/>
        <source>Exporting…</source>
        <translation>正在导出…</translation>
    </message>
</context>
<context>
    <name>ExportWording</name>
    <message>
        <location filename="../../desktop_crf/ui/exports/run.py" line="30"/>
        <source>CDISC ODM 1.3.2 — current values (Snapshot)</source>
        <translation>CDISC ODM 1.3.2 — 当前数值（快照）</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/exports/run.py" line="32"/>
        <source>CDISC ODM 1.3.2 — every change with its audit record (Transactional)</source>
        <translation>CDISC ODM 1.3.2 — 每次修改及其稽查记录（事务型）</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/exports/run.py" line="34"/>
        <source>CSV for analysis (zip with R, SAS and SPSS scripts)</source>
        <translation>供统计分析的 CSV（含 R、SAS 与 SPSS 读取脚本的 zip）</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/exports/run.py" line="35"/>
        <source>Subject casebook (PDF)</source>
        <translation>受试者病例报告（PDF）</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/exports/run.py" line="41"/>
        <source>Every subject&apos;s values as entered, with each form&apos;s status and signature.</source>
        <translation>每位受试者按录入原样的数值，以及每张表单的状态与签名。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/exports/run.py" line="44"/>
        <source>Every change, signature and query with who, when and why. Anyone can check that the file was not altered: crf odm verify FILE.</source>
        <translation>每次修改、签名与质疑，含修改人、时间与原因。任何人都可核验文件未被篡改：crf odm verify 文件。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/exports/run.py" line="48"/>
        <source>One CSV per form, a data dictionary in English and Chinese, read scripts for R, SAS and SPSS, and the SHA-256 of every file.</source>
        <translation>每张表单一个 CSV，中英文数据字典，R、SAS 与 SPSS 读取脚本，以及每个文件的 SHA-256。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/exports/run.py" line="52"/>
        <source>Every visit and form of one subject with values, signatures and queries, the audit trail as an appendix, and the subject&apos;s ODM attached.</source>
        <translation>一位受试者的所有访视与表单（含数值、签名与质疑），附录为稽查轨迹，并附带该受试者的 ODM 文件。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/exports/run.py" line="58"/>
        <source>Written: {0} (SHA-256 {1}…). The export is in the audit trail.</source>
        <translation>已写入：{0}（SHA-256 {1}…）。本次导出已记入稽查轨迹。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/exports/run.py" line="64"/>
        <source>Export cancelled. No file was made.</source>
        <translation>导出已取消，未生成任何文件。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/exports/run.py" line="69"/>
        <source>Nothing was exported: the folder {0} cannot be written. Choose another folder (for example Documents). No file was made.</source>
        <translation>未导出任何内容：文件夹 {0} 不可写入。请选择其他文件夹（例如“文档”）。未生成文件。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/exports/run.py" line="73"/>
        <source>Nothing was exported: the folder {0} does not exist. Choose another folder. No file was made.</source>
        <translation>未导出任何内容：文件夹 {0} 不存在。请选择其他文件夹。未生成文件。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/exports/run.py" line="77"/>
        <source>Nothing was exported to {0}: the disk is full. Free some space or choose another drive. No file was made.</source>
        <translation>未能导出到 {0}：磁盘已满。请释放空间或选择其他磁盘。未生成文件。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/exports/run.py" line="81"/>
        <source>Nothing was exported to {0}: {1}. No file was made.</source>
        <translation>未能导出到 {0}：{1}。未生成文件。</translation>
    </message>
</context>
<context>
    <name>FormView</name>
    <message>
        <location filename="../../desktop_crf/ui/form/view.py" line="180"/>
        <source>✓ verified · ✎ changed since verified · ? query — point at a mark</source>
        <translation>✓ 已核查 · ✎ 核查后已更改 · ? 质疑 — 鼠标指向标记查看详情</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/form/view.py" line="186"/>
        <source>Save draft (Ctrl+S)</source>
        <translation>保存草稿（Ctrl+S）</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/form/view.py" line="189"/>
        <source>Complete</source>
        <translation>完成</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/form/view.py" line="192"/>
        <source>Sign…</source>
        <translation>签名…</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/form/view.py" line="195"/>
        <source>Mark the form verified against the source</source>
        <translation>标记表单已与源文件核查</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/form/view.py" line="259"/>
        <source>Answered by the investigator</source>
        <translation>由研究者填写</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/form/view.py" line="396"/>
        <source>Taken from {0} of this visit: {1}. Check them, then save.</source>
        <translation>已从本次访视的{0}中带入：{1}。请核对后保存。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/form/messages.py" line="75"/>
        <source>In conflict: this value was also changed on another computer ({0}). Choose the right one with a reason under Queries on the subject or in the Sync tab.</source>
        <translation>数据冲突：此数值也在另一台电脑上被修改（{0}）。请在受试者页面的“质疑”或“同步”标签页中选择正确的值并填写原因。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/form/rows.py" line="100"/>
        <source>Add {0}</source>
        <translation>添加{0}</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/form/view.py" line="367"/>
        <source>Unsaved typing from before was restored. Save to keep it.</source>
        <translation>已恢复之前未保存的输入。请保存以保留。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/form/notes.py" line="83"/>
        <source>not started</source>
        <translation>未开始</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/form/notes.py" line="84"/>
        <source>draft</source>
        <translation>草稿</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/form/notes.py" line="85"/>
        <source>complete</source>
        <translation>已完成</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/form/notes.py" line="94"/>
        <source>Signed by {0} on {1} UTC — “{2}”</source>
        <translation>由{0}于 {1} UTC 签名——“{2}”</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/form/notes.py" line="99"/>
        <source>Signature broken: the data changed after {0} signed on {1} UTC. Re-sign required.</source>
        <translation>签名已失效：{0}于 {1} UTC 签名后数据已更改。需要重新签名。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/form/notes.py" line="48"/>
        <source>Saved {0}</source>
        <translation>已于 {0} 保存</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/form/notes.py" line="57"/>
        <source>1 error</source>
        <translation>1 个错误</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/form/notes.py" line="59"/>
        <source>{0} errors</source>
        <translation>{0} 个错误</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/form/notes.py" line="61"/>
        <source>1 warning</source>
        <translation>1 个警告</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/form/notes.py" line="63"/>
        <source>{0} warnings</source>
        <translation>{0} 个警告</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/form/notes.py" line="69"/>
        <source>1 error must be corrected before the form can be completed.</source>
        <translation>必须更正 1 个错误后才能完成此表单。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/form/notes.py" line="73"/>
        <source>{0} errors must be corrected before the form can be completed.</source>
        <translation>必须更正 {0} 个错误后才能完成此表单。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/form/saving.py" line="123"/>
        <source>Please confirm</source>
        <translation>请确认</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/form/saving.py" line="125"/>
        <source>Some values are unusual. Save them as entered?</source>
        <translation>部分数值异常。按输入内容保存吗？</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/form/saving.py" line="222"/>
        <source>Suggested adverse event</source>
        <translation>建议的不良事件</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/form/saving.py" line="224"/>
        <source>{0} → CTCAE grade {1} or higher ({2}): add to the AE log?</source>
        <translation>{0} → CTCAE {1} 级或更高（{2}）：添加到不良事件记录？</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/form/saving.py" line="228"/>
        <source>{0} → CTCAE grade {1} ({2}): add to the AE log?</source>
        <translation>{0} → CTCAE {1} 级（{2}）：加入不良事件记录吗？</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/form/saving.py" line="251"/>
        <source>Why is this not an adverse event?</source>
        <translation>为什么这不是不良事件？</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/form/saving.py" line="252"/>
        <source>{0} (grade {1}) will not be offered again for this value. The reason is kept in the audit trail.</source>
        <translation>对于此值，将不再建议{0}（{1} 级）。原因将保存在稽查轨迹中。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/form/saving.py" line="257"/>
        <source>e.g. known before treatment, lab error, already recorded as …</source>
        <translation>例如：治疗前已知、检验错误、已记录为……</translation>
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
        <location filename="../../desktop_crf/ui/form/item_queries.py" line="51"/>
        <source>Right-click to raise a query on this item or mark it verified</source>
        <translation>右键单击可对此项提出质疑或标记已核查</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/form/item_queries.py" line="55"/>
        <source>Right-click to raise a query on this item</source>
        <translation>右键点击可对此项提出质疑</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/form/item_queries.py" line="65"/>
        <source>Raise a query on this item…</source>
        <translation>对此项提出质疑…</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/form/item_queries.py" line="71"/>
        <source>Mark verified against the source</source>
        <translation>标记已与源文件核查</translation>
    </message>
</context>
<context>
    <name>HandOverDialog</name>
    <message>
        <location filename="../../desktop_crf/ui/tablet/handover.py" line="36"/>
        <source>Hand the tablet to the patient</source>
        <translation>将平板交给患者</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/tablet/handover.py" line="41"/>
        <source>Subject {0}, {1}: the EORTC QLQ-C30. The screen switches to the patient&apos;s questionnaire, full screen, with nothing else of the application. Each answer is saved as it is given.</source>
        <translation>受试者 {0}，{1}：EORTC QLQ-C30。屏幕将全屏切换为患者问卷，不显示本应用的任何其他内容。每个回答在作答时即被保存。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/tablet/handover.py" line="49"/>
        <source>Show the initials {0} on the tablet, so the patient sees it is theirs</source>
        <translation>在平板上显示姓名缩写 {0}，让患者确认这是自己的问卷</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/tablet/handover.py" line="59"/>
        <source>To take the tablet back, tap Staff on the tablet and enter your PIN or password.</source>
        <translation>收回平板时，请点按平板上的“工作人员”，并输入您的PIN码或密码。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/tablet/handover.py" line="64"/>
        <source>Hand to patient</source>
        <translation>交给患者</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/tablet/handover.py" line="65"/>
        <source>Set my PIN…</source>
        <translation>设置我的PIN码…</translation>
    </message>
</context>
<context>
    <name>ImportWording</name>
    <message>
        <location filename="../../desktop_crf/ui/labs/results_table.py" line="31"/>
        <source>to import</source>
        <translation>待导入</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/labs/results_table.py" line="33"/>
        <source>changes the saved {0}: needs a reason</source>
        <translation>将修改已保存的 {0}：需填写原因</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/labs/results_table.py" line="35"/>
        <source>saved already</source>
        <translation>已保存</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/labs/results_table.py" line="46"/>
        <source>no subject {0} on this site</source>
        <translation>本中心无受试者 {0}</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/labs/results_table.py" line="47"/>
        <source>the sample date is not a date (YYYY-MM-DD)</source>
        <translation>采样日期不是有效日期（YYYY-MM-DD）</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/labs/results_table.py" line="48"/>
        <source>the sample date is in the future</source>
        <translation>采样日期晚于今天</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/labs/results_table.py" line="49"/>
        <source>test {0} is not recorded on the lab forms</source>
        <translation>检验项目 {0} 不在检验表单中</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/labs/results_table.py" line="52"/>
        <source>out of window: no visit for this test on this date</source>
        <translation>超出访视窗：该日期没有包含此检验的访视</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/labs/results_table.py" line="53"/>
        <source>unit {0} cannot be converted (the form takes {1})</source>
        <translation>单位 {0} 无法换算（表单接受 {1}）</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/labs/results_table.py" line="54"/>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/labs/results_table.py" line="56"/>
        <source>{0} is not a lab result</source>
        <translation>{0} 不是检验结果</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/labs/results_table.py" line="57"/>
        <source>the form is signed: not changed by an import</source>
        <translation>表单已签名：导入不会修改它</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/labs/results_table.py" line="59"/>
        <source>the visit&apos;s form holds the sample of {0}: enter this one by hand</source>
        <translation>该访视表单已记录 {0} 的样本：请手工录入此结果</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/labs/results_table.py" line="61"/>
        <source>the form names another laboratory: {0}</source>
        <translation>表单记录的是另一个实验室：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/labs/results_table.py" line="65"/>
        <source>rows {0} give different values</source>
        <translation>第 {0} 行给出的数值不同</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/labs/results_table.py" line="69"/>
        <source>(nearest window {0})</source>
        <translation>（最近的访视窗 {0}）</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/labs/results_table.py" line="74"/>
        <source>H</source>
        <translation>高</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/labs/results_table.py" line="76"/>
        <source>L</source>
        <translation>低</translation>
    </message>
</context>
<context>
    <name>ItemField</name>
    <message>
        <location filename="../../desktop_crf/ui/form/fields.py" line="92"/>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/form/fields.py" line="93"/>
        <source>No</source>
        <translation>否</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/form/fields.py" line="135"/>
        <source>YYYY-MM-DD</source>
        <translation>YYYY-MM-DD</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/form/fields.py" line="137"/>
        <source>YYYY-MM-DD, YYYY-MM or YYYY</source>
        <translation>YYYY-MM-DD、YYYY-MM 或 YYYY</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/form/fields.py" line="139"/>
        <source>number, or &lt;10 / &gt;1000</source>
        <translation>数值，或 &lt;10 / &gt;1000</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/form/fields.py" line="141"/>
        <source>calculated</source>
        <translation>自动计算</translation>
    </message>
</context>
<context>
    <name>ItemMarks</name>
    <message>
        <location filename="../../desktop_crf/ui/monitor/item_marks.py" line="93"/>
        <source>Changed since verified by {0} ({1} ago): verify it again.</source>
        <translation>{0}核查后已更改（{1}前）：请重新核查。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/monitor/item_marks.py" line="100"/>
        <source>Verified against the source by {0}, {1} ago.</source>
        <translation>{0}已与源文件核查，{1}前。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/monitor/item_marks.py" line="107"/>
        <source>(not sent yet)</source>
        <translation>（尚未发送）</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/monitor/item_marks.py" line="108"/>
        <source>Query {0} · {1} · {2} old: {3}</source>
        <translation>质疑 {0} · {1} · 已{2}：{3}</translation>
    </message>
</context>
<context>
    <name>KioskController</name>
    <message>
        <location filename="../../desktop_crf/ui/tablet/controller.py" line="182"/>
        <source>Your answer could not be saved. Please ask the staff for help.</source>
        <extracomment>The thank-you screen gives way to the hand-back screen after this long.</extracomment>
        <translation>您的回答未能保存。请向工作人员寻求帮助。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/tablet/controller.py" line="202"/>
        <source>This could not be saved. Please ask the staff for help.</source>
        <translation>未能保存。请向工作人员求助。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/tablet/controller.py" line="228"/>
        <source>Too many attempts. Wait {0} seconds, then try again.</source>
        <translation>尝试次数过多。请等待 {0} 秒后再试。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/tablet/controller.py" line="232"/>
        <source>Too many attempts: a PIN is no longer accepted. Use your password.</source>
        <translation>尝试次数过多：不再接受PIN码。请使用密码。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/tablet/controller.py" line="234"/>
        <source>The user name, PIN or password is not correct.</source>
        <translation>用户名、PIN码或密码不正确。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/tablet/controller.py" line="256"/>
        <source>Questionnaire</source>
        <translation>问卷</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/tablet/controller.py" line="261"/>
        <source>{0} of {1}</source>
        <translation>{0} / {1}</translation>
    </message>
</context>
<context>
    <name>KioskWindow</name>
    <message>
        <location filename="../../desktop_crf/ui/tablet/window.py" line="116"/>
        <source>Staff</source>
        <translation>工作人员</translation>
    </message>
</context>
<context>
    <name>LabImportTableModel</name>
    <message>
        <location filename="../../desktop_crf/ui/labs/results_table.py" line="88"/>
        <source>Row</source>
        <translation>行</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/labs/results_table.py" line="89"/>
        <source>Subject</source>
        <translation>受试者</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/labs/results_table.py" line="90"/>
        <source>Sample date</source>
        <translation>采样日期</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/labs/results_table.py" line="91"/>
        <source>Test</source>
        <translation>检验项目</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/labs/results_table.py" line="92"/>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/labs/results_table.py" line="93"/>
        <source>Visit</source>
        <translation>访视</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/labs/results_table.py" line="94"/>
        <source>Item</source>
        <translation>条目</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/labs/results_table.py" line="95"/>
        <source>In the form&apos;s unit</source>
        <translation>换算为表单单位</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/labs/results_table.py" line="96"/>
        <source>H/L</source>
        <translation>高/低</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/labs/results_table.py" line="97"/>
        <source>What happens</source>
        <translation>处理结果</translation>
    </message>
</context>
<context>
    <name>LabImportView</name>
    <message>
        <location filename="../../desktop_crf/ui/labs/results.py" line="96"/>
        <source>Lab results from the laboratory system&apos;s CSV export. Each row is shown with the visit and item it goes to, or why it cannot; nothing is written until you import.</source>
        <translation>来自检验系统导出的 CSV 检验结果。每一行显示其对应的访视和条目，或无法导入的原因；点击导入之前不会写入任何数据。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/labs/results.py" line="103"/>
        <source>Choose file…</source>
        <translation>选择文件…</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/labs/results.py" line="114"/>
        <source>Reason for changing saved values (empty: saved values are kept)</source>
        <translation>修改已保存数值的原因（留空：保留已保存的数值）</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/labs/results.py" line="118"/>
        <source>Import</source>
        <translation>导入</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/labs/results.py" line="130"/>
        <location filename="../../desktop_crf/ui/labs/results.py" line="210"/>
        <source>Import lab results</source>
        <translation>导入检验结果</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/labs/results.py" line="132"/>
        <source>CSV files (*.csv *.txt)</source>
        <translation>CSV 文件 (*.csv *.txt)</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/labs/results.py" line="140"/>
        <source>Reading {0}…</source>
        <translation>正在读取 {0}…</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/labs/results.py" line="141"/>
        <source>Reading the laboratory&apos;s file…</source>
        <translation>正在读取实验室文件…</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/labs/results.py" line="163"/>
        <source>{0} (SHA-256 {1}…): {2} rows — {3} to import ({4} unusual, confirmed by importing), {5} would change a saved value, {6} saved already, {7} cannot be imported.</source>
        <translation>{0}（SHA-256 {1}…）：共 {2} 行 — {3} 行待导入（其中 {4} 个异常值，导入即视为确认），{5} 行将修改已保存的数值，{6} 行已保存，{7} 行无法导入。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/labs/results.py" line="198"/>
        <source>Import {0} results</source>
        <translation>导入 {0} 个结果</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/labs/results.py" line="211"/>
        <source>Import {0} results from {1}?</source>
        <translation>从 {1} 导入 {0} 个结果？</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/labs/results.py" line="214"/>
        <source>Each value is saved as the laboratory reported it and recorded in the audit trail with the file&apos;s SHA-256 and its row.</source>
        <translation>每个数值按实验室报告原样保存，并连同文件的 SHA-256 和行号记入稽查轨迹。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/labs/results.py" line="220"/>
        <source>{0} unusual values will be saved as reported: you confirm them.</source>
        <translation>{0} 个异常值将按报告原样保存：由您确认。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/labs/results.py" line="226"/>
        <source>{0} rows cannot be imported; enter them by hand if needed.</source>
        <translation>{0} 行无法导入；如有需要请手工录入。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/labs/results.py" line="243"/>
        <source>Importing lab results…</source>
        <translation>正在导入检验结果…</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/labs/results.py" line="257"/>
        <source>Imported {0} results from {1}. They are drafts: check each form.</source>
        <translation>已从 {1} 导入 {0} 个结果。相关表单为草稿：请逐一核对。</translation>
    </message>
</context>
<context>
    <name>LabLimits</name>
    <message>
        <location filename="../../desktop_crf/ui/form/lab_limits.py" line="51"/>
        <source>Enter this sample&apos;s own limits (LLN, ULN)</source>
        <translation>录入本样本自己的参考限值（LLN、ULN）</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/form/lab_limits.py" line="55"/>
        <source>The laboratory&apos;s recorded ranges apply to this sample. Enter the sample&apos;s own limits only when the laboratory reported different ones (a reason is asked).</source>
        <translation>本样本适用该实验室已登记的参考范围。仅当实验室报告了不同的限值时才录入样本自己的限值（需填写原因）。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/form/lab_limits.py" line="161"/>
        <source>no range: name the laboratory</source>
        <translation>无参考范围：请填写实验室名称</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/form/lab_limits.py" line="162"/>
        <source>no range: enter the sample date</source>
        <translation>无参考范围：请填写采样日期</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/form/lab_limits.py" line="163"/>
        <source>no range recorded for this laboratory</source>
        <translation>该实验室未登记参考范围</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/form/lab_limits.py" line="164"/>
        <source>no range: the subject&apos;s sex or age is not recorded</source>
        <translation>无参考范围：受试者的性别或年龄未记录</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/form/lab_limits.py" line="165"/>
        <source>no range in this unit</source>
        <translation>无此单位的参考范围</translation>
    </message>
</context>
<context>
    <name>LabRangeDialog</name>
    <message>
        <location filename="../../desktop_crf/ui/labs/range_dialogs.py" line="68"/>
        <source>Correct a range</source>
        <translation>更正参考范围</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/labs/range_dialogs.py" line="68"/>
        <source>Add a range</source>
        <translation>添加参考范围</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/labs/range_dialogs.py" line="89"/>
        <source>no limit</source>
        <translation>不限</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/labs/range_dialogs.py" line="99"/>
        <source>e.g. the laboratory changed its method</source>
        <translation>例如：实验室更换了检测方法</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/labs/range_dialogs.py" line="100"/>
        <source>Laboratory</source>
        <translation>实验室</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/labs/range_dialogs.py" line="101"/>
        <source>Analyte</source>
        <translation>检验项目</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/labs/range_dialogs.py" line="102"/>
        <source>Unit</source>
        <translation>单位</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/labs/range_dialogs.py" line="103"/>
        <source>Sex</source>
        <translation>性别</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/labs/range_dialogs.py" line="104"/>
        <source>Age from (years)</source>
        <translation>年龄下限（岁）</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/labs/range_dialogs.py" line="105"/>
        <source>Age to (years, included)</source>
        <translation>年龄上限（岁，含）</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/labs/range_dialogs.py" line="106"/>
        <source>LLN</source>
        <translation>正常值下限</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/labs/range_dialogs.py" line="107"/>
        <source>ULN</source>
        <translation>正常值上限</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/labs/range_dialogs.py" line="108"/>
        <source>Valid from</source>
        <translation>生效日期</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/labs/range_dialogs.py" line="109"/>
        <source>Reason for the correction</source>
        <translation>更正原因</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/labs/range_dialogs.py" line="113"/>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/labs/range_dialogs.py" line="159"/>
        <source>An age is a whole number of years.</source>
        <translation>年龄须为整数岁。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/labs/range_dialogs.py" line="201"/>
        <source>Give the reason for the correction: it is kept.</source>
        <translation>请填写更正原因：原因将被记录。</translation>
    </message>
</context>
<context>
    <name>LabRangeTableModel</name>
    <message>
        <location filename="../../desktop_crf/ui/labs/ranges.py" line="52"/>
        <source>Laboratory</source>
        <translation>实验室</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/labs/ranges.py" line="53"/>
        <source>Analyte</source>
        <translation>检验项目</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/labs/ranges.py" line="54"/>
        <source>Sex</source>
        <translation>性别</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/labs/ranges.py" line="55"/>
        <source>Age</source>
        <translation>年龄</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/labs/ranges.py" line="56"/>
        <source>LLN – ULN</source>
        <translation>正常值下限 – 上限</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/labs/ranges.py" line="57"/>
        <source>Valid from</source>
        <translation>生效日期</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/labs/ranges.py" line="58"/>
        <source>Recorded by</source>
        <translation>记录人</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/labs/ranges.py" line="59"/>
        <source>Recorded at</source>
        <translation>记录时间</translation>
    </message>
</context>
<context>
    <name>LabRangesView</name>
    <message>
        <location filename="../../desktop_crf/ui/labs/ranges.py" line="103"/>
        <source>Each laboratory&apos;s reference ranges, recorded once. A lab form uses the range of the laboratory it names for its sample date and the subject&apos;s sex and age; LLN or ULN entered on the form itself take precedence.</source>
        <translation>各实验室的参考范围，只需记录一次。检验表单按其填写的实验室、采样日期以及受试者的性别和年龄采用相应的参考范围；表单中单独填写的正常值上下限优先。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/labs/ranges.py" line="111"/>
        <source>Laboratory</source>
        <translation>实验室</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/labs/ranges.py" line="115"/>
        <source>All laboratories</source>
        <translation>全部实验室</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/labs/ranges.py" line="145"/>
        <source>Add range…</source>
        <translation>添加范围…</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/labs/ranges.py" line="148"/>
        <source>Correct…</source>
        <translation>更正…</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/labs/ranges.py" line="151"/>
        <source>Remove…</source>
        <translation>删除…</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/labs/ranges.py" line="154"/>
        <source>Import file…</source>
        <translation>导入文件…</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/labs/ranges.py" line="157"/>
        <source>Record the ranges of a CSV file from the data manager (previewed first)</source>
        <translation>记录数据管理员提供的 CSV 文件中的参考范围（先预览）</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/labs/ranges.py" line="192"/>
        <source>{0} ranges recorded.</source>
        <translation>已记录 {0} 个参考范围。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/labs/ranges.py" line="212"/>
        <source>Range saved.</source>
        <translation>参考范围已保存。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/labs/ranges.py" line="222"/>
        <source>Select the range to correct.</source>
        <translation>请选择要更正的参考范围。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/labs/ranges.py" line="229"/>
        <source>Select the range to remove.</source>
        <translation>请选择要删除的参考范围。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/labs/ranges.py" line="233"/>
        <source>Remove a range</source>
        <translation>删除参考范围</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/labs/ranges.py" line="235"/>
        <source>Remove the range of {0} at {1} from {2} ({3}, {4})? Lab forms will no longer use it. Say why: the reason is kept in the audit trail.</source>
        <translation>删除 {1} 自 {2} 起的 {0} 参考范围（{3}，{4}）？检验表单将不再使用它。请说明原因：原因将记入稽查轨迹。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/labs/ranges.py" line="244"/>
        <source>e.g. recorded for the wrong laboratory</source>
        <translation>例如：记录到了错误的实验室</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/labs/ranges.py" line="255"/>
        <source>Range removed.</source>
        <translation>参考范围已删除。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/labs/ranges.py" line="265"/>
        <source>Import reference ranges</source>
        <translation>导入参考范围</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/labs/ranges.py" line="267"/>
        <source>CSV files (*.csv *.txt)</source>
        <translation>CSV 文件 (*.csv *.txt)</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/labs/ranges.py" line="274"/>
        <source>Reading {0}…</source>
        <translation>正在读取 {0}…</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/labs/ranges.py" line="291"/>
        <source>Imported: {0} new, {1} corrected, {2} already recorded.</source>
        <translation>已导入：新增 {0} 个，更正 {1} 个，{2} 个此前已记录。</translation>
    </message>
</context>
<context>
    <name>Labels</name>
    <message>
        <location filename="../../desktop_crf/ui/common/labels.py" line="51"/>
        <source>Logs</source>
        <translation>记录</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/common/labels.py" line="81"/>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/common/labels.py" line="82"/>
        <source>No</source>
        <translation>否</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/common/labels.py" line="105"/>
        <source>screening</source>
        <translation>筛选中</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/common/labels.py" line="106"/>
        <source>enrolled</source>
        <translation>已入组</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/common/labels.py" line="107"/>
        <source>withdrawn</source>
        <translation>已退出</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/common/labels.py" line="108"/>
        <source>screen failure</source>
        <translation>筛选失败</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/common/labels.py" line="109"/>
        <source>screening discarded</source>
        <translation>筛选已作废</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../desktop_crf/ui/shell/main_window.py" line="73"/>
        <source>desktop-crf — {0}</source>
        <translation>desktop-crf——{0}</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/shell/main_window.py" line="101"/>
        <source>DEMO SITE — demonstration data only. This site never synchronises.</source>
        <translation>演示中心——仅为演示数据。本中心从不同步。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/shell/main_window.py" line="125"/>
        <location filename="../../desktop_crf/ui/shell/main_window.py" line="147"/>
        <source>Subjects</source>
        <translation>受试者</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/shell/main_window.py" line="144"/>
        <source>{0} ({1})</source>
        <translation>{0}（{1}）</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/shell/main_window.py" line="152"/>
        <source>Search subject id or initials</source>
        <translation>搜索受试者编号或姓名缩写</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/shell/main_window.py" line="159"/>
        <source>All arms</source>
        <translation>全部组别</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/shell/main_window.py" line="162"/>
        <source>All statuses</source>
        <translation>全部状态</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/shell/main_window.py" line="165"/>
        <source>Visits open or overdue</source>
        <translation>访视进行中或已逾期</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/shell/main_window.py" line="174"/>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/shell/main_window.py" line="182"/>
        <source>New screening</source>
        <translation>新建筛选</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/shell/main_window.py" line="187"/>
        <source>Sync now</source>
        <translation>立即同步</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/shell/main_window.py" line="189"/>
        <source>Send pending changes and fetch queries now</source>
        <translation>立即发送待同步的更改并获取质疑</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/shell/main_window.py" line="193"/>
        <source>Study dashboard</source>
        <translation>研究概览</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/shell/main_window.py" line="196"/>
        <source>Enrolment, visits, safety, queries and the curves per arm, at a glance</source>
        <translation>入组、访视、安全性、质疑及各组生存曲线一览</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/shell/main_window.py" line="201"/>
        <source>Audit trail</source>
        <translation>稽查轨迹</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/shell/main_window.py" line="203"/>
        <source>Review, verify and export the audit trail</source>
        <translation>查看、验证并导出稽查轨迹</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/shell/main_window.py" line="209"/>
        <source>Export data</source>
        <translation>导出数据</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/shell/main_window.py" line="211"/>
        <source>CDISC ODM, CSV for analysis or a subject&apos;s casebook (PDF)</source>
        <translation>CDISC ODM、供统计分析的 CSV 或受试者病例报告（PDF）</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/shell/main_window.py" line="215"/>
        <source>Import study data…</source>
        <translation>导入研究数据…</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/shell/main_window.py" line="218"/>
        <source>Set up this empty site from a CDISC ODM file of the same study</source>
        <translation>用同一研究的 CDISC ODM 文件建立这个空的中心</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/shell/main_window.py" line="222"/>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/shell/main_window.py" line="226"/>
        <source>Lock</source>
        <translation>锁定</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/shell/main_window.py" line="231"/>
        <source>Close tab</source>
        <translation>关闭标签页</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/shell/main_window.py" line="242"/>
        <source>My tasks</source>
        <translation>我的任务</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/shell/main_window.py" line="244"/>
        <source>What waits for you, oldest first</source>
        <translation>等待您处理的事项，最早的在前</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/shell/main_window.py" line="250"/>
        <source>Source data verification</source>
        <translation>源数据核查</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/shell/main_window.py" line="252"/>
        <source>Verify data against the source; progress and changes</source>
        <translation>与源文件核查数据；进度与更改</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/shell/main_window.py" line="254"/>
        <source>Monitoring visit</source>
        <translation>监查访视</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/shell/main_window.py" line="256"/>
        <source>Start, close and sign a monitoring visit and its report</source>
        <translation>开始、结束监查访视并签署其报告</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/shell/main_window.py" line="260"/>
        <source>Monitoring</source>
        <translation>监查</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/shell/main_window.py" line="272"/>
        <source>Import lab results…</source>
        <translation>导入检验结果…</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/shell/main_window.py" line="276"/>
        <source>Reference ranges</source>
        <translation>参考范围</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/shell/main_window.py" line="281"/>
        <source>Laboratory</source>
        <translation>实验室</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/shell/main_window.py" line="282"/>
        <source>Lab results from a laboratory&apos;s file; reference ranges</source>
        <translation>从实验室文件导入检验结果；参考范围</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/shell/main_window.py" line="341"/>
        <location filename="../../desktop_crf/ui/shell/main_window.py" line="388"/>
        <source>Unsaved typing</source>
        <translation>未保存的输入</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/shell/main_window.py" line="344"/>
        <source>This form has typing that is not saved yet. Save it now, or close the form and finish later (the typing is kept on this computer)?</source>
        <translation>此表单有尚未保存的输入。现在保存，还是关闭表单稍后完成（输入内容会保留在本计算机上）？</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/shell/main_window.py" line="348"/>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/shell/main_window.py" line="350"/>
        <source>Close, finish later</source>
        <translation>关闭，稍后完成</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/shell/main_window.py" line="391"/>
        <source>{0} open forms have typing that is not saved yet. It is kept on this computer and comes back when you open them again. Quit anyway?</source>
        <translation>有 {0} 个打开的表单含尚未保存的输入。输入内容会保留在本计算机上，再次打开表单时会恢复。仍要退出吗？</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/shell/main_window.py" line="416"/>
        <source>{0} subjects</source>
        <translation>{0} 名受试者</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/shell/main_window.py" line="416"/>
        <source>1 subject</source>
        <translation>1 名受试者</translation>
    </message>
</context>
<context>
    <name>MessagePage</name>
    <message>
        <location filename="../../desktop_crf/ui/tablet/pages.py" line="342"/>
        <source>Thank you</source>
        <translation>谢谢您</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/tablet/pages.py" line="343"/>
        <source>Your answers have been saved.</source>
        <translation>您的回答已保存。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/tablet/pages.py" line="345"/>
        <source>Continue</source>
        <translation>继续</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/tablet/pages.py" line="347"/>
        <source>Please hand the tablet back to the staff.</source>
        <translation>请将平板交还给工作人员。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/tablet/pages.py" line="348"/>
        <source>Thank you for your time.</source>
        <translation>感谢您抽出时间。</translation>
    </message>
</context>
<context>
    <name>MonitorWording</name>
    <message>
        <location filename="../../desktop_crf/ui/monitor/words.py" line="22"/>
        <source>{0} min</source>
        <translation>{0}分钟</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/monitor/words.py" line="24"/>
        <source>{0} h</source>
        <translation>{0}小时</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/monitor/words.py" line="25"/>
        <source>{0} d</source>
        <translation>{0}天</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/monitor/words.py" line="29"/>
        <source>open, not sent yet</source>
        <translation>未解决，尚未发送</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/monitor/words.py" line="31"/>
        <source>open</source>
        <translation>进行中</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/monitor/words.py" line="32"/>
        <source>answered</source>
        <translation>已回答</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/monitor/words.py" line="33"/>
        <source>closed</source>
        <translation>已关闭</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/monitor/words.py" line="38"/>
        <source>Query to answer</source>
        <translation>待回复的质疑</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/monitor/words.py" line="39"/>
        <source>Unsaved typing to save</source>
        <translation>待保存的未保存输入</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/monitor/words.py" line="40"/>
        <source>Visit overdue</source>
        <translation>访视已逾期</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/monitor/words.py" line="41"/>
        <source>SAE to report</source>
        <translation>待报告的SAE</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/monitor/words.py" line="42"/>
        <source>Forms to sign</source>
        <translation>待签名的表单</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/monitor/words.py" line="43"/>
        <source>Signature broken: sign again</source>
        <translation>签名失效：请重新签名</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/monitor/words.py" line="44"/>
        <source>Critical data to verify</source>
        <translation>待核查的关键数据</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/monitor/words.py" line="45"/>
        <source>Changed since verified</source>
        <translation>核查后已更改</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/monitor/words.py" line="46"/>
        <source>Answered query to close</source>
        <translation>待关闭的已回复质疑</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/monitor/words.py" line="55"/>
        <source>{0} of {1} values verified ({2}) · critical data {3} of {4} ({5}, 100 % due) · {6} changed since verified · other data: {7} % sampled</source>
        <translation>已核查 {0}/{1} 个数据项（{2}）· 关键数据 {3}/{4}（{5}，须100%核查）· 核查后已更改 {6} 个 · 其他数据：抽查 {7}%</translation>
    </message>
</context>
<context>
    <name>MonitoringPdf</name>
    <message>
        <location filename="../../desktop_crf/printing/monitoring_pdf.py" line="72"/>
        <source>None.</source>
        <translation>无。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/printing/monitoring_pdf.py" line="107"/>
        <location filename="../../desktop_crf/printing/monitoring_pdf.py" line="109"/>
        <source>Monitoring visit report</source>
        <translation>监查访视报告</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/printing/monitoring_pdf.py" line="110"/>
        <source>{0} to {1}</source>
        <translation>{0} 至 {1}</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/printing/monitoring_pdf.py" line="112"/>
        <location filename="../../desktop_crf/printing/monitoring_pdf.py" line="363"/>
        <source>open</source>
        <translation>进行中</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/printing/monitoring_pdf.py" line="117"/>
        <source>Monitor</source>
        <translation>监查员</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/printing/monitoring_pdf.py" line="118"/>
        <location filename="../../desktop_crf/printing/monitoring_pdf.py" line="333"/>
        <source>Visit</source>
        <translation>访视</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/printing/monitoring_pdf.py" line="119"/>
        <source>Purpose</source>
        <translation>目的</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/printing/monitoring_pdf.py" line="121"/>
        <source>Done</source>
        <translation>完成情况</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/printing/monitoring_pdf.py" line="122"/>
        <source>{0} values verified in {1} forms; {2} queries raised, {3} closed</source>
        <translation>{1}个表单中核查了{0}个数据项；提出{2}个质疑，关闭{3}个</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/printing/monitoring_pdf.py" line="135"/>
        <source>Verified against the source</source>
        <translation>已与源文件核查</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/printing/monitoring_pdf.py" line="332"/>
        <source>Subject</source>
        <translation>受试者</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/printing/monitoring_pdf.py" line="334"/>
        <source>Form</source>
        <translation>表单</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/printing/monitoring_pdf.py" line="335"/>
        <source>Values</source>
        <translation>数据项</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/printing/monitoring_pdf.py" line="142"/>
        <source>Queries raised</source>
        <translation>已提出的质疑</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/printing/monitoring_pdf.py" line="143"/>
        <source>Queries closed</source>
        <translation>已关闭的质疑</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/printing/monitoring_pdf.py" line="144"/>
        <source>Queries reopened</source>
        <translation>已重新打开的质疑</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/printing/monitoring_pdf.py" line="336"/>
        <source>Where</source>
        <translation>位置</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/printing/monitoring_pdf.py" line="337"/>
        <source>Text</source>
        <translation>内容</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/printing/monitoring_pdf.py" line="338"/>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/printing/monitoring_pdf.py" line="152"/>
        <location filename="../../desktop_crf/printing/monitoring_pdf.py" line="278"/>
        <source>Changed since verified</source>
        <translation>核查后已更改</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/printing/monitoring_pdf.py" line="339"/>
        <source>Item</source>
        <translation>数据项</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/printing/monitoring_pdf.py" line="162"/>
        <source>Queries open at the site: {0}; answered and waiting for the monitor: {1}.</source>
        <translation>中心未关闭的质疑：{0}；已回复待监查员处理：{1}。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/printing/monitoring_pdf.py" line="167"/>
        <source>Remarks</source>
        <translation>意见</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/printing/monitoring_pdf.py" line="169"/>
        <source>Signature</source>
        <translation>签名</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/printing/monitoring_pdf.py" line="172"/>
        <source>Not signed.</source>
        <translation>未签名。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/printing/monitoring_pdf.py" line="175"/>
        <source>valid</source>
        <translation>有效</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/printing/monitoring_pdf.py" line="177"/>
        <source>BROKEN: the report changed after it</source>
        <translation>已失效：签名后报告被更改</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/printing/monitoring_pdf.py" line="180"/>
        <source>Signed by {0} ({1}) at {2} — &quot;{3}&quot; — signature {4}</source>
        <translation>{0}（{1}）于{2}签名 — “{3}” — 签名{4}</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/printing/monitoring_pdf.py" line="191"/>
        <source>Content SHA-256: {0}</source>
        <translation>内容 SHA-256：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/printing/monitoring_pdf.py" line="200"/>
        <source>Query report</source>
        <translation>质疑报告</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/printing/monitoring_pdf.py" line="205"/>
        <source>{0} queries: {1} open, {2} answered, {3} closed.</source>
        <translation>共{0}个质疑：{1}个未关闭，{2}个已回复，{3}个已关闭。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/printing/monitoring_pdf.py" line="214"/>
        <source>opened</source>
        <translation>提出</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/printing/monitoring_pdf.py" line="222"/>
        <source>answer</source>
        <translation>回复</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/printing/monitoring_pdf.py" line="231"/>
        <location filename="../../desktop_crf/printing/monitoring_pdf.py" line="365"/>
        <source>closed</source>
        <translation>已关闭</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/printing/monitoring_pdf.py" line="233"/>
        <source>reopened</source>
        <translation>重新打开</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/printing/monitoring_pdf.py" line="340"/>
        <source>Step</source>
        <translation>步骤</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/printing/monitoring_pdf.py" line="341"/>
        <source>By</source>
        <translation>操作人</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/printing/monitoring_pdf.py" line="252"/>
        <location filename="../../desktop_crf/printing/monitoring_pdf.py" line="255"/>
        <source>Source data verification report</source>
        <translation>源数据核查报告</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/printing/monitoring_pdf.py" line="259"/>
        <source>Other data: at least {0} % to verify (the study&apos;s sample).</source>
        <translation>其他数据：至少核查{0}%（研究的抽查比例）。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/printing/monitoring_pdf.py" line="263"/>
        <source>Per subject</source>
        <translation>按受试者</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/printing/monitoring_pdf.py" line="342"/>
        <source>Verified</source>
        <translation>已核查</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/printing/monitoring_pdf.py" line="343"/>
        <source>Critical verified</source>
        <translation>关键数据已核查</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/printing/monitoring_pdf.py" line="344"/>
        <source>Changed</source>
        <translation>已更改</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/printing/monitoring_pdf.py" line="345"/>
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/printing/monitoring_pdf.py" line="346"/>
        <source>Changed by</source>
        <translation>更改人</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/printing/monitoring_pdf.py" line="295"/>
        <source>Critical data not verified yet</source>
        <translation>尚未核查的关键数据</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/printing/monitoring_pdf.py" line="347"/>
        <source>Entered since</source>
        <translation>录入时间</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/printing/monitoring_pdf.py" line="314"/>
        <source>{0} values entered, {1} verified ({2}); critical data {3} of {4} verified ({5}); {6} changed since verified.</source>
        <translation>已录入{0}个数据项，已核查{1}个（{2}）；关键数据已核查{3}/{4}（{5}）；核查后已更改{6}个。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/printing/monitoring_pdf.py" line="360"/>
        <source>not sent yet</source>
        <translation>尚未发送</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/printing/monitoring_pdf.py" line="364"/>
        <source>answered</source>
        <translation>已回答</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/printing/monitoring_pdf.py" line="385"/>
        <source>Printed by {0} at {1} (UTC)</source>
        <translation>由{0}于{1}（UTC）打印</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/printing/monitoring_pdf.py" line="388"/>
        <source>Page {0} of {1}</source>
        <translation>第{0}页，共{1}页</translation>
    </message>
</context>
<context>
    <name>MonitoringVisitView</name>
    <message>
        <location filename="../../desktop_crf/ui/monitor/visit_view.py" line="87"/>
        <source>Purpose of the visit (optional)</source>
        <translation>访视目的（可选）</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/monitor/visit_view.py" line="88"/>
        <source>Start a monitoring visit</source>
        <translation>开始监查访视</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/monitor/visit_view.py" line="105"/>
        <source>What</source>
        <translation>内容</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/monitor/visit_view.py" line="105"/>
        <source>Details</source>
        <translation>详情</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/monitor/visit_view.py" line="110"/>
        <source>Your remarks for the report</source>
        <translation>您对报告的意见</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/monitor/visit_view.py" line="114"/>
        <source>Close the visit</source>
        <translation>结束访视</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/monitor/visit_view.py" line="117"/>
        <source>Sign the report…</source>
        <translation>签署报告…</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/monitor/visit_view.py" line="120"/>
        <source>Save the report as PDF…</source>
        <translation>将报告保存为PDF…</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/monitor/visit_view.py" line="133"/>
        <source>Started</source>
        <translation>开始</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/monitor/visit_view.py" line="133"/>
        <source>Monitor</source>
        <translation>监查员</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/monitor/visit_view.py" line="133"/>
        <source>Closed</source>
        <translation>结束</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/monitor/visit_view.py" line="133"/>
        <source>Report</source>
        <translation>报告</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/monitor/visit_view.py" line="151"/>
        <source>No monitoring visit of yours is open.</source>
        <translation>您没有进行中的监查访视。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/monitor/visit_view.py" line="154"/>
        <source>Monitoring visit open since {0} ({1} ago).</source>
        <translation>监查访视自{0}开始（{1}前）。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/monitor/visit_view.py" line="167"/>
        <source>open</source>
        <translation>进行中</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/monitor/visit_view.py" line="188"/>
        <source>signed by {0}</source>
        <translation>{0}已签署</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/monitor/visit_view.py" line="189"/>
        <source>to sign</source>
        <translation>待签署</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/monitor/visit_view.py" line="212"/>
        <source>What this visit has done so far</source>
        <translation>本次访视目前完成的工作</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/monitor/visit_view.py" line="214"/>
        <source>Visit of {0}: closed {1}</source>
        <translation>{0}的访视：{1}结束</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/monitor/visit_view.py" line="223"/>
        <source>Verified against the source</source>
        <translation>已与源文件核查</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/monitor/visit_view.py" line="224"/>
        <source>{0} values in {1} forms</source>
        <translation>{1}个表单中的{0}个数据项</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/monitor/visit_view.py" line="231"/>
        <source>{0} values</source>
        <translation>{0}个数据项</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/monitor/visit_view.py" line="233"/>
        <source>Queries raised</source>
        <translation>已提出的质疑</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/monitor/visit_view.py" line="234"/>
        <source>Queries closed</source>
        <translation>已关闭的质疑</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/monitor/visit_view.py" line="235"/>
        <source>Queries reopened</source>
        <translation>已重新打开的质疑</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/monitor/visit_view.py" line="242"/>
        <source>Changed since verified</source>
        <translation>核查后已更改</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/monitor/visit_view.py" line="250"/>
        <source>Queries at the site</source>
        <translation>中心的质疑</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/monitor/visit_view.py" line="251"/>
        <source>{0} open, {1} answered and waiting for you</source>
        <translation>{0}个未关闭，{1}个已回复待您处理</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/monitor/visit_view.py" line="288"/>
        <source>The visit has started. Verify, query and follow up as usual.</source>
        <translation>访视已开始。请照常核查、提出质疑并跟进。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/monitor/visit_view.py" line="304"/>
        <source>The visit is closed. Sign its report.</source>
        <translation>访视已结束。请签署其报告。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/monitor/visit_view.py" line="311"/>
        <source>this visit report</source>
        <translation>本访视报告</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/monitor/visit_view.py" line="312"/>
        <source>I confirm this monitoring visit report</source>
        <translation>我确认本监查访视报告</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/monitor/visit_view.py" line="328"/>
        <source>The report is signed.</source>
        <translation>报告已签署。</translation>
    </message>
</context>
<context>
    <name>NewScreeningDialog</name>
    <message>
        <location filename="../../desktop_crf/ui/subjects/status_dialogs.py" line="21"/>
        <source>New screening</source>
        <translation>新建筛选</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/status_dialogs.py" line="27"/>
        <source>e.g. LW</source>
        <translation>例如：LW</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/status_dialogs.py" line="30"/>
        <source>Initials</source>
        <translation>姓名缩写</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/status_dialogs.py" line="31"/>
        <source>Screening date</source>
        <translation>筛选日期</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/status_dialogs.py" line="35"/>
        <source>Open the screening</source>
        <translation>开始筛选</translation>
    </message>
</context>
<context>
    <name>OdmImportDialog</name>
    <message>
        <location filename="../../desktop_crf/ui/exports/odm_import.py" line="61"/>
        <source>Import study data (CDISC ODM)</source>
        <translation>导入研究数据（CDISC ODM）</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/exports/odm_import.py" line="69"/>
        <source>Sets up this site, while it holds no subjects, from a CDISC ODM 1.3.2 file of the same study: a Snapshot gives each subject&apos;s current values; a Transactional file gives the whole history with who, when and why. The file is checked as it is read; if anything in it is wrong, nothing is written.</source>
        <translation>在本中心尚无受试者时，用同一研究的 CDISC ODM 1.3.2 文件建立本中心：快照（Snapshot）文件提供每位受试者的当前数值；事务（Transactional）文件提供完整的历史，包括何人、何时及原因。文件在读取时即被检查；只要其中有任何错误，就不会写入任何内容。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/exports/odm_import.py" line="78"/>
        <source>The ODM file (.xml)</source>
        <translation>ODM 文件（.xml）</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/exports/odm_import.py" line="79"/>
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/exports/odm_import.py" line="91"/>
        <source>Import</source>
        <translation>导入</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/exports/odm_import.py" line="113"/>
        <source>Choose the ODM file to import</source>
        <translation>选择要导入的 ODM 文件</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/exports/odm_import.py" line="115"/>
        <source>CDISC ODM files (*.xml);;All files (*)</source>
        <translation>CDISC ODM 文件 (*.xml);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/exports/odm_import.py" line="126"/>
        <source>Choose the ODM file to import.</source>
        <translation>请选择要导入的 ODM 文件。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/exports/odm_import.py" line="131"/>
        <source>There is no file {0}. Choose the ODM file to import.</source>
        <translation>文件 {0} 不存在。请选择要导入的 ODM 文件。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/exports/odm_import.py" line="137"/>
        <location filename="../../desktop_crf/ui/exports/odm_import.py" line="139"/>
        <source>Importing {0}…</source>
        <translation>正在导入 {0}…</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/exports/odm_import.py" line="166"/>
        <source>Transactional: the whole history</source>
        <translation>事务文件：完整历史</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/exports/odm_import.py" line="168"/>
        <source>Snapshot: current values</source>
        <translation>快照：当前数值</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/exports/odm_import.py" line="171"/>
        <source>Imported {0} subjects and {1} audit entries from {2} ({3}). The import is recorded in the audit trail with the file&apos;s SHA-256: {4}</source>
        <translation>已从 {2}（{3}）导入 {0} 位受试者和 {1} 条稽查记录。此次导入已记入稽查轨迹，并附文件的 SHA-256：{4}</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/exports/odm_import.py" line="181"/>
        <source>Kept in the file only (they belong to the trail it came from): {0}.</source>
        <translation>仅保留在文件中（属于其来源的稽查轨迹）：{0}。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/exports/odm_import.py" line="199"/>
        <source>Import cancelled. Nothing was written.</source>
        <translation>导入已取消。未写入任何内容。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/exports/odm_import.py" line="202"/>
        <source>This site already holds subjects: an ODM file is imported only into an empty site. Create a new site and import into it. Nothing was written.</source>
        <translation>本中心已有受试者：ODM 文件只能导入空的中心。请新建一个中心再导入。未写入任何内容。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/exports/odm_import.py" line="208"/>
        <source>The file was not imported: line {0}: {1}. Nothing was written.</source>
        <translation>文件未导入：第 {0} 行：{1}。未写入任何内容。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/exports/odm_import.py" line="210"/>
        <source>The file was not imported: {0}. Nothing was written.</source>
        <translation>文件未导入：{0}。未写入任何内容。</translation>
    </message>
</context>
<context>
    <name>PinDialog</name>
    <message>
        <location filename="../../desktop_crf/ui/tablet/handover.py" line="80"/>
        <source>My PIN for the patient tablet</source>
        <translation>我的患者平板PIN码</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/tablet/handover.py" line="85"/>
        <source>A PIN of 6 to 12 digits takes the tablet back from a patient faster than your password. It cannot unlock the application.</source>
        <translation>6至12位数字的PIN码可比密码更快地从患者处收回平板。PIN码不能用于解锁本应用。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/tablet/handover.py" line="100"/>
        <source>Your password</source>
        <translation>您的密码</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/tablet/handover.py" line="101"/>
        <source>New PIN</source>
        <translation>新PIN码</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/tablet/handover.py" line="102"/>
        <source>New PIN again</source>
        <translation>再次输入新PIN码</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/tablet/handover.py" line="106"/>
        <source>Set PIN</source>
        <translation>设置PIN码</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/tablet/handover.py" line="111"/>
        <source>The two PINs are not the same.</source>
        <translation>两次输入的PIN码不一致。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/tablet/handover.py" line="116"/>
        <source>A PIN is 6 to 12 digits, not one digit repeated and not a run.</source>
        <translation>PIN码须为6至12位数字，不能是同一数字重复，也不能是连续数字。</translation>
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
        <location filename="../../desktop_crf/ui/queries/query_list.py" line="158"/>
        <source>conflict: {0}</source>
        <translation>冲突：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/queries/query_list.py" line="163"/>
        <location filename="../../desktop_crf/ui/queries/query_list.py" line="271"/>
        <source>not sent yet</source>
        <translation>尚未发送</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/queries/query_list.py" line="172"/>
        <source>Closed by {0} at {1}: {2}</source>
        <translation>{0} 于 {1} 关闭：{2}</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/queries/query_list.py" line="182"/>
        <source>open, not sent yet</source>
        <translation>未解决，尚未发送</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/queries/query_list.py" line="184"/>
        <source>open</source>
        <translation>未解决</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/queries/query_list.py" line="185"/>
        <source>answered</source>
        <translation>已回答</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/queries/query_list.py" line="186"/>
        <source>closed</source>
        <translation>已关闭</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/queries/query_list.py" line="274"/>
        <source>Close query #{0}</source>
        <translation>关闭质疑 #{0}</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/queries/query_list.py" line="275"/>
        <source>Closing says the answer is accepted. {0}</source>
        <translation>关闭表示接受该回答。{0}</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/queries/query_list.py" line="276"/>
        <source>Closing remark (e.g. verified against the source document)</source>
        <translation>关闭说明（例如：已与原始文件核对）</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/queries/query_list.py" line="282"/>
        <source>Reopen query #{0}</source>
        <translation>重新打开质疑 #{0}</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/queries/query_list.py" line="283"/>
        <source>Reopening sends the query back to the site. {0}</source>
        <translation>重新打开会将质疑退回研究中心。{0}</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/queries/query_list.py" line="284"/>
        <source>What is still needed</source>
        <translation>仍需处理的内容</translation>
    </message>
</context>
<context>
    <name>QueryTextDialog</name>
    <message>
        <location filename="../../desktop_crf/ui/queries/dialogs.py" line="44"/>
        <source>the subject as a whole</source>
        <translation>整个受试者</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/queries/dialogs.py" line="46"/>
        <source>Raise a query</source>
        <translation>提出质疑</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/queries/dialogs.py" line="47"/>
        <source>Subject {0}: {1}. The site sees the query at once on this computer, and on the others after the next sync.</source>
        <translation>受试者 {0}：{1}。本电脑上研究中心可立即看到该质疑，其他电脑在下次同步后可见。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/queries/dialogs.py" line="52"/>
        <source>What should the site check or correct?</source>
        <translation>研究中心应核对或更正什么？</translation>
    </message>
</context>
<context>
    <name>QuestionPage</name>
    <message>
        <location filename="../../desktop_crf/ui/tablet/pages.py" line="228"/>
        <source>Back</source>
        <translation>返回</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/tablet/pages.py" line="229"/>
        <source>Next</source>
        <translation>下一题</translation>
    </message>
</context>
<context>
    <name>QuestionnairePanel</name>
    <message>
        <location filename="../../desktop_crf/ui/subjects/questionnaires.py" line="65"/>
        <source>Visit</source>
        <extracomment>Visit states in which the patient can be handed the questionnaire.</extracomment>
        <translation>访视</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/questionnaires.py" line="66"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/questionnaires.py" line="67"/>
        <source>Answered</source>
        <translation>已回答</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/questionnaires.py" line="68"/>
        <source>Wording</source>
        <translation>问卷文本</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/questionnaires.py" line="70"/>
        <source>Summary</source>
        <translation>汇总</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/questionnaires.py" line="74"/>
        <location filename="../../desktop_crf/ui/subjects/questionnaires.py" line="165"/>
        <source>Global health status / QoL</source>
        <translation>总体健康状况/生命质量</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/questionnaires.py" line="75"/>
        <location filename="../../desktop_crf/ui/subjects/questionnaires.py" line="180"/>
        <source>Summary score</source>
        <translation>汇总评分</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/questionnaires.py" line="87"/>
        <source>Hand to patient…</source>
        <translation>交给患者…</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/questionnaires.py" line="90"/>
        <source>My tablet PIN…</source>
        <translation>我的平板PIN码…</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/questionnaires.py" line="119"/>
        <source>due — {0}</source>
        <translation>待填写 — {0}</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/questionnaires.py" line="140"/>
        <source>{0} of {1}</source>
        <translation>{0} / {1}</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/questionnaires.py" line="142"/>
        <source>by the patient</source>
        <translation>由患者填写</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/questionnaires.py" line="145"/>
        <source>not official</source>
        <translation>非官方文本</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/questionnaires.py" line="159"/>
        <source>not the official EORTC wording</source>
        <translation>非EORTC官方文本</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/questionnaires.py" line="166"/>
        <source>Physical functioning</source>
        <translation>躯体功能</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/questionnaires.py" line="167"/>
        <source>Role functioning</source>
        <translation>角色功能</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/questionnaires.py" line="168"/>
        <source>Emotional functioning</source>
        <translation>情绪功能</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/questionnaires.py" line="169"/>
        <source>Cognitive functioning</source>
        <translation>认知功能</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/questionnaires.py" line="170"/>
        <source>Social functioning</source>
        <translation>社会功能</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/questionnaires.py" line="171"/>
        <source>Fatigue</source>
        <translation>疲乏</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/questionnaires.py" line="172"/>
        <source>Nausea and vomiting</source>
        <translation>恶心呕吐</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/questionnaires.py" line="173"/>
        <source>Pain</source>
        <translation>疼痛</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/questionnaires.py" line="174"/>
        <source>Dyspnoea</source>
        <translation>呼吸困难</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/questionnaires.py" line="175"/>
        <source>Insomnia</source>
        <translation>失眠</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/questionnaires.py" line="176"/>
        <source>Appetite loss</source>
        <translation>食欲丧失</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/questionnaires.py" line="177"/>
        <source>Constipation</source>
        <translation>便秘</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/questionnaires.py" line="178"/>
        <source>Diarrhoea</source>
        <translation>腹泻</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/questionnaires.py" line="179"/>
        <source>Financial difficulties</source>
        <translation>经济困难</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/questionnaires.py" line="185"/>
        <source>not started</source>
        <translation>未开始</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/questionnaires.py" line="186"/>
        <source>in progress</source>
        <translation>进行中</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/questionnaires.py" line="187"/>
        <source>complete</source>
        <translation>已完成</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/questionnaires.py" line="188"/>
        <source>signed</source>
        <translation>已签名</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/questionnaires.py" line="189"/>
        <source>signature broken</source>
        <translation>签名失效</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/questionnaires.py" line="219"/>
        <source>Scores (0–100, EORTC scoring manual)</source>
        <translation>评分（0–100，按EORTC评分手册）</translation>
    </message>
</context>
<context>
    <name>RangeFileDialog</name>
    <message>
        <location filename="../../desktop_crf/ui/labs/range_dialogs.py" line="228"/>
        <source>Import reference ranges</source>
        <translation>导入参考范围</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/labs/range_dialogs.py" line="233"/>
        <source>{0} (SHA-256 {1}): {2} new, {3} corrections, {4} already recorded, {5} refused.</source>
        <translation>{0}（SHA-256 {1}）：新增 {2} 个，更正 {3} 个，已记录 {4} 个，拒绝 {5} 个。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/labs/range_dialogs.py" line="250"/>
        <source>Reason for the corrections (kept)</source>
        <translation>更正原因（将被记录）</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/labs/range_dialogs.py" line="258"/>
        <location filename="../../desktop_crf/ui/labs/range_dialogs.py" line="272"/>
        <source>Import</source>
        <translation>导入</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/labs/range_dialogs.py" line="262"/>
        <source>Nothing can be imported while rows are refused: correct the file.</source>
        <translation>存在被拒绝的行时无法导入：请更正文件。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/labs/range_dialogs.py" line="266"/>
        <source>Every range of this file is recorded already.</source>
        <translation>此文件中的所有参考范围均已记录。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/labs/range_dialogs.py" line="271"/>
        <source>Row</source>
        <translation>行</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/labs/range_dialogs.py" line="273"/>
        <source>Laboratory</source>
        <translation>实验室</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/labs/range_dialogs.py" line="274"/>
        <source>Analyte</source>
        <translation>检验项目</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/labs/range_dialogs.py" line="275"/>
        <source>Sex</source>
        <translation>性别</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/labs/range_dialogs.py" line="276"/>
        <source>Age</source>
        <translation>年龄</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/labs/range_dialogs.py" line="277"/>
        <source>LLN – ULN</source>
        <translation>正常值下限 – 上限</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/labs/range_dialogs.py" line="278"/>
        <source>Valid from</source>
        <translation>生效日期</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/labs/range_dialogs.py" line="279"/>
        <source>Why</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/labs/range_dialogs.py" line="302"/>
        <source>was {0}</source>
        <translation>原为 {0}</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/labs/range_dialogs.py" line="317"/>
        <source>Give the reason for the corrections: it is kept.</source>
        <translation>请填写更正原因：原因将被记录。</translation>
    </message>
</context>
<context>
    <name>RangeWording</name>
    <message>
        <location filename="../../desktop_crf/ui/labs/wording.py" line="27"/>
        <source>male</source>
        <translation>男</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/labs/wording.py" line="29"/>
        <source>female</source>
        <translation>女</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/labs/wording.py" line="30"/>
        <source>both</source>
        <translation>不限</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/labs/wording.py" line="35"/>
        <source>all ages</source>
        <translation>所有年龄</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/labs/wording.py" line="37"/>
        <source>{0} years and older</source>
        <translation>{0} 岁及以上</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/labs/wording.py" line="39"/>
        <source>up to {0} years</source>
        <translation>{0} 岁及以下</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/labs/wording.py" line="40"/>
        <source>{0}–{1} years</source>
        <translation>{0}–{1} 岁</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/labs/wording.py" line="48"/>
        <source>new</source>
        <translation>新增</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/labs/wording.py" line="49"/>
        <source>corrects the recorded range</source>
        <translation>更正已记录的范围</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/labs/wording.py" line="50"/>
        <source>already recorded</source>
        <translation>已记录</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/labs/wording.py" line="51"/>
        <source>refused</source>
        <translation>拒绝</translation>
    </message>
</context>
<context>
    <name>ReasonDialog</name>
    <message>
        <location filename="../../desktop_crf/ui/common/dialogs.py" line="56"/>
        <source>Reason for change</source>
        <translation>修改原因</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/common/dialogs.py" line="60"/>
        <source>These are the patient&apos;s own answers: a change by staff is a correction of the patient&apos;s record. Say why (e.g. transcribed from the paper questionnaire).</source>
        <translation>这些是患者本人的回答：工作人员的修改属于对患者记录的更正。请说明原因（例如：根据纸质问卷转录）。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/common/dialogs.py" line="64"/>
        <source>You are changing values that were saved before ({0}). Say why.</source>
        <translation>您正在修改已保存的数值（{0}）。请说明原因。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/common/dialogs.py" line="72"/>
        <source>e.g. transcription error, lab report corrected</source>
        <translation>例如：转录错误、化验报告更正</translation>
    </message>
</context>
<context>
    <name>ReportPrinter</name>
    <message>
        <location filename="../../desktop_crf/ui/monitor/reports.py" line="35"/>
        <source>Save the report as PDF</source>
        <translation>将报告保存为PDF</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/monitor/reports.py" line="37"/>
        <source>PDF files (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/monitor/reports.py" line="67"/>
        <source>Saved {0}.</source>
        <translation>已保存 {0}。</translation>
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
        <translation>入组日期</translation>
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
        <location filename="../../desktop_crf/ui/reports/tables.py" line="117"/>
        <source>{0} + {1} not graded</source>
        <translation>{0} + {1} 例未分级</translation>
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
        <location filename="../../desktop_crf/ui/queries/dialogs.py" line="87"/>
        <source>Resolve a conflict</source>
        <translation>解决冲突</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/queries/dialogs.py" line="93"/>
        <source>{0} of subject {1} was changed on two computers from the same starting value. Both values are kept. Check the source document, choose the right value and give a reason; the choice is sent to the server and closes the conflict.</source>
        <translation>受试者 {1} 的 {0} 在两台电脑上从同一原值被修改。两个值都已保留。请核对原始文件，选择正确的值并填写原因；您的选择将发送到服务器并关闭该冲突。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/queries/dialogs.py" line="108"/>
        <source>Another value:</source>
        <translation>其他值：</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/queries/dialogs.py" line="116"/>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/queries/dialogs.py" line="119"/>
        <source>e.g. checked against the lab report</source>
        <translation>例如：已与化验报告核对</translation>
    </message>
</context>
<context>
    <name>ReviewPage</name>
    <message>
        <location filename="../../desktop_crf/ui/tablet/pages.py" line="273"/>
        <location filename="../../desktop_crf/ui/tablet/pages.py" line="307"/>
        <source>Question {0}</source>
        <translation>第 {0} 题</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/tablet/pages.py" line="292"/>
        <source>Before you finish</source>
        <translation>结束之前</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/tablet/pages.py" line="296"/>
        <source>You have not answered {0} of the {1} questions. You can answer them now, or finish without them.</source>
        <translation>{1} 道题中有 {0} 道您尚未回答。您可以现在回答，也可以不回答直接结束。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/tablet/pages.py" line="302"/>
        <source>You have answered all {0} questions. Tap Finish to send them.</source>
        <translation>您已回答全部 {0} 道题。请点按“结束”提交。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/tablet/pages.py" line="308"/>
        <source>Back</source>
        <translation>返回</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/tablet/pages.py" line="309"/>
        <source>Answer them</source>
        <translation>回答这些题</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/tablet/pages.py" line="310"/>
        <source>Finish</source>
        <translation>结束</translation>
    </message>
</context>
<context>
    <name>SdvView</name>
    <message>
        <location filename="../../desktop_crf/ui/monitor/sdv_view.py" line="153"/>
        <source>Only subjects with values changed since verified</source>
        <translation>仅显示核查后有更改的受试者</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/monitor/sdv_view.py" line="159"/>
        <source>SDV report (PDF)…</source>
        <translation>SDV报告（PDF）…</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/monitor/sdv_view.py" line="160"/>
        <source>Query report (PDF)…</source>
        <translation>质疑报告（PDF）…</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/monitor/sdv_view.py" line="193"/>
        <source>Choose a subject.</source>
        <translation>请选择受试者。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/monitor/sdv_view.py" line="200"/>
        <source>Visit · form</source>
        <translation>访视 · 表单</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/monitor/sdv_view.py" line="201"/>
        <source>Values</source>
        <translation>数据项</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/monitor/sdv_view.py" line="202"/>
        <source>Verified</source>
        <translation>已核查</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/monitor/sdv_view.py" line="203"/>
        <source>Critical</source>
        <translation>关键数据</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/monitor/sdv_view.py" line="204"/>
        <source>Changed</source>
        <translation>已更改</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/monitor/sdv_view.py" line="212"/>
        <source>Mark the visit verified</source>
        <translation>标记访视已核查</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/monitor/sdv_view.py" line="215"/>
        <source>Mark the form verified</source>
        <translation>标记表单已核查</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/monitor/sdv_view.py" line="224"/>
        <source>Changed since verified</source>
        <translation>核查后已更改</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/monitor/sdv_view.py" line="228"/>
        <source>Where</source>
        <translation>位置</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/monitor/sdv_view.py" line="228"/>
        <source>Value now</source>
        <translation>当前值</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/monitor/sdv_view.py" line="228"/>
        <source>Changed by</source>
        <translation>更改人</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/monitor/sdv_view.py" line="228"/>
        <source>Age</source>
        <translation>时长</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/monitor/sdv_view.py" line="271"/>
        <source>Subject {0}</source>
        <translation>受试者 {0}</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/monitor/sdv_view.py" line="360"/>
        <source>The visit is marked verified.</source>
        <translation>访视已标记为已核查。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/monitor/sdv_view.py" line="372"/>
        <source>The form is marked verified.</source>
        <translation>表单已标记为已核查。</translation>
    </message>
</context>
<context>
    <name>SignDialog</name>
    <message>
        <location filename="../../desktop_crf/ui/common/dialogs.py" line="91"/>
        <location filename="../../desktop_crf/ui/common/dialogs.py" line="112"/>
        <source>Sign</source>
        <translation>签名</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/common/dialogs.py" line="95"/>
        <source>{0}, you are signing {1}. Your signature is linked to the data as they are now; any later change will require signing again.</source>
        <translation>{0}，您正在签署{1}。您的签名与当前数据关联；之后的任何修改都需要重新签名。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/common/dialogs.py" line="102"/>
        <source>I approve this form</source>
        <translation>我批准此表单</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/common/dialogs.py" line="107"/>
        <source>Meaning</source>
        <translation>签名含义</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/common/dialogs.py" line="108"/>
        <source>Password</source>
        <translation>密码</translation>
    </message>
</context>
<context>
    <name>StaffPage</name>
    <message>
        <location filename="../../desktop_crf/ui/tablet/staff_page.py" line="93"/>
        <source>Enter your user name and your PIN or password.</source>
        <translation>请输入您的用户名以及PIN码或密码。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/tablet/staff_page.py" line="120"/>
        <source>Staff: take the tablet back</source>
        <translation>工作人员：收回平板</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/tablet/staff_page.py" line="124"/>
        <source>Wording shown: {0}, official EORTC wording</source>
        <translation>所示问卷文本：{0}，EORTC官方文本</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/tablet/staff_page.py" line="126"/>
        <source>Wording shown: {0}, NOT the official EORTC translation</source>
        <translation>所示问卷文本：{0}，并非EORTC官方译本</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/tablet/staff_page.py" line="132"/>
        <source>user name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/tablet/staff_page.py" line="133"/>
        <location filename="../../desktop_crf/ui/tablet/staff_page.py" line="136"/>
        <source>PIN</source>
        <translation>PIN码</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/tablet/staff_page.py" line="134"/>
        <location filename="../../desktop_crf/ui/tablet/staff_page.py" line="136"/>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/tablet/staff_page.py" line="138"/>
        <source>Clear</source>
        <translation>清除</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/tablet/staff_page.py" line="139"/>
        <source>Back to the questionnaire</source>
        <translation>返回问卷</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/tablet/staff_page.py" line="140"/>
        <source>Take the tablet back</source>
        <translation>收回平板</translation>
    </message>
</context>
<context>
    <name>StatusDialog</name>
    <message>
        <location filename="../../desktop_crf/ui/subjects/status_dialogs.py" line="73"/>
        <source>(none in particular)</source>
        <translation>（无特定标准）</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/status_dialogs.py" line="76"/>
        <source>Criterion</source>
        <translation>标准</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/status_dialogs.py" line="81"/>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/status_dialogs.py" line="84"/>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
</context>
<context>
    <name>StoreProgress</name>
    <message>
        <location filename="../../desktop_crf/ui/common/progress.py" line="37"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>SubjectCourse</name>
    <message>
        <location filename="../../desktop_crf/ui/subjects/course.py" line="27"/>
        <source>Screen failure…</source>
        <translation>筛选失败…</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/course.py" line="30"/>
        <source>Discard screening…</source>
        <translation>作废筛选…</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/course.py" line="33"/>
        <source>Withdraw…</source>
        <translation>退出研究…</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/course.py" line="51"/>
        <source>Screen failure of {0}</source>
        <translation>{0} 筛选失败</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/course.py" line="52"/>
        <source>The subject will not be enrolled. Say why; name the criterion if one failed.</source>
        <translation>该受试者将不入组。请说明原因；如有未满足的标准，请注明。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/course.py" line="69"/>
        <source>Discard the screening of {0}</source>
        <translation>作废 {0} 的筛选</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/course.py" line="71"/>
        <source>Only a screening opened by mistake, with nothing recorded, can be discarded. It stays in the audit trail.</source>
        <translation>只有误开且未记录任何数据的筛选才能作废。它会保留在稽查轨迹中。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/course.py" line="86"/>
        <source>Withdraw {0}</source>
        <translation>{0} 退出研究</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/course.py" line="87"/>
        <source>The subject leaves the study. What was recorded stays.</source>
        <translation>该受试者退出研究。已记录的数据将保留。</translation>
    </message>
</context>
<context>
    <name>SubjectSdvTableModel</name>
    <message>
        <location filename="../../desktop_crf/ui/monitor/sdv_view.py" line="48"/>
        <source>Subject</source>
        <translation>受试者</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/monitor/sdv_view.py" line="49"/>
        <source>Values</source>
        <translation>数据项</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/monitor/sdv_view.py" line="50"/>
        <source>Verified</source>
        <translation>已核查</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/monitor/sdv_view.py" line="51"/>
        <source>Critical verified</source>
        <translation>关键数据已核查</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/monitor/sdv_view.py" line="52"/>
        <source>Changed since verified</source>
        <translation>核查后已更改</translation>
    </message>
</context>
<context>
    <name>SubjectTableModel</name>
    <message>
        <location filename="../../desktop_crf/ui/subjects/table.py" line="30"/>
        <source>Subject</source>
        <translation>受试者</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/table.py" line="31"/>
        <source>Initials</source>
        <translation>姓名缩写</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/table.py" line="32"/>
        <source>Arm</source>
        <translation>组别</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/table.py" line="33"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/table.py" line="34"/>
        <source>Enrolled</source>
        <translation>入组日期</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/table.py" line="35"/>
        <source>Next visit</source>
        <translation>下次访视</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/table.py" line="36"/>
        <source>Window</source>
        <translation>时间窗</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/table.py" line="37"/>
        <source>Open AEs</source>
        <translation>未结束的不良事件</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/table.py" line="38"/>
        <source>SAE clock</source>
        <translation>SAE 报告时限</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/table.py" line="39"/>
        <source>Open queries</source>
        <translation>未解决质疑</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/table.py" line="40"/>
        <source>Unsynced changes</source>
        <translation>未同步更改</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/table.py" line="118"/>
        <source>{0} ({1} to review)</source>
        <translation>{0}（{1} 个待复核）</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/table.py" line="136"/>
        <source>open</source>
        <translation>进行中</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/table.py" line="137"/>
        <source>overdue</source>
        <translation>已逾期</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/table.py" line="138"/>
        <source>upcoming</source>
        <translation>即将到来</translation>
    </message>
</context>
<context>
    <name>SubjectView</name>
    <message>
        <location filename="../../desktop_crf/ui/subjects/view.py" line="102"/>
        <source>Visits and forms (double-click a form to open it)</source>
        <translation>访视与表单（双击表单打开）</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/view.py" line="106"/>
        <source>Visit / form</source>
        <translation>访视 / 表单</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/view.py" line="106"/>
        <source>Target</source>
        <translation>目标日期</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/view.py" line="106"/>
        <source>Window</source>
        <translation>时间窗</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/view.py" line="106"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/view.py" line="117"/>
        <source>Add unscheduled visit</source>
        <translation>添加计划外访视</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/view.py" line="121"/>
        <source>Sign visit…</source>
        <translation>签署访视…</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/view.py" line="146"/>
        <source>Queries (from the monitor, and conflicts)</source>
        <translation>质疑（来自监查员及数据冲突）</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/view.py" line="204"/>
        <source>NA: {0}</source>
        <translation>核苷（酸）类似物：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/view.py" line="207"/>
        <source>consent {0} (version {1})</source>
        <translation>知情同意 {0}（版本 {1}）</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/view.py" line="229"/>
        <source>screening</source>
        <translation>筛选中</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/view.py" line="218"/>
        <source>not started</source>
        <translation>未开始</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/view.py" line="110"/>
        <source>Quality of life (EORTC QLQ-C30)</source>
        <translation>生命质量（EORTC QLQ-C30）</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/view.py" line="219"/>
        <source>draft</source>
        <translation>草稿</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/view.py" line="220"/>
        <source>complete</source>
        <translation>已完成</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/view.py" line="221"/>
        <source>signed</source>
        <translation>已签名</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/view.py" line="222"/>
        <source>signature broken — re-sign required</source>
        <translation>签名已失效——需要重新签名</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/view.py" line="223"/>
        <source>upcoming</source>
        <translation>即将到来</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/view.py" line="224"/>
        <source>open</source>
        <translation>进行中</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/view.py" line="225"/>
        <source>overdue</source>
        <translation>已逾期</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/view.py" line="226"/>
        <source>done</source>
        <translation>已完成</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/view.py" line="227"/>
        <source>missed</source>
        <translation>已错过</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/view.py" line="228"/>
        <source>unscheduled</source>
        <translation>计划外</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/view.py" line="247"/>
        <source>{0} · unsaved typing</source>
        <translation>{0} · 有未保存的输入</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/view.py" line="276"/>
        <source>SAE 24-hour clock: {0}</source>
        <translation>严重不良事件24小时报告时限：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/subjects/view.py" line="303"/>
        <source>I approve the data of this visit</source>
        <translation>我批准此访视的数据</translation>
    </message>
</context>
<context>
    <name>SyncIndicator</name>
    <message>
        <location filename="../../desktop_crf/ui/sync/indicator.py" line="132"/>
        <source>Click for details.</source>
        <translation>点击查看详情。</translation>
    </message>
</context>
<context>
    <name>SyncPanel</name>
    <message>
        <location filename="../../desktop_crf/ui/sync/panel.py" line="46"/>
        <source>Sync now</source>
        <translation>立即同步</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/sync/panel.py" line="56"/>
        <source>Changes the server refused</source>
        <translation>服务器拒收的更改</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/sync/panel.py" line="61"/>
        <source>The server did not accept these changes. They are kept on this computer and nothing is lost. Do not enter the data again: tell your data manager and quote the id and the reason shown.</source>
        <translation>服务器未接受这些更改。它们保存在本电脑上，没有丢失。请勿重新录入数据：请告知您的数据管理员，并提供所示的编号和原因。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/sync/panel.py" line="72"/>
        <source>Changes</source>
        <translation>更改</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/sync/panel.py" line="72"/>
        <source>Refused at</source>
        <translation>拒收时间</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/sync/panel.py" line="72"/>
        <location filename="../../desktop_crf/ui/sync/panel.py" line="92"/>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/sync/panel.py" line="72"/>
        <source>Id</source>
        <translation>编号</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/sync/panel.py" line="76"/>
        <source>Records from the server set aside</source>
        <translation>已搁置的服务器记录</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/sync/panel.py" line="81"/>
        <source>This computer could not apply these records it received from the server. It set them aside and went on receiving everything else; the server has been told. Tell your data manager and quote the reason shown.</source>
        <translation>本机无法应用从服务器收到的这些记录。它已将其搁置，并继续接收其他所有内容；服务器已获通知。请告知数据管理员，并引用所示原因。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/sync/panel.py" line="92"/>
        <source>Record</source>
        <translation>记录</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/sync/panel.py" line="92"/>
        <source>Set aside at</source>
        <translation>搁置时间</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/sync/panel.py" line="92"/>
        <source>Server told</source>
        <translation>已告知服务器</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/sync/panel.py" line="97"/>
        <source>Queries and conflicts</source>
        <translation>质疑与冲突</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/sync/panel.py" line="102"/>
        <source>A monitor&apos;s query: answer it. A conflict: the same value was changed on two computers; both are kept until you choose the right one with a reason. Double-click to open the form.</source>
        <translation>监查员的质疑：请回答。冲突：同一数值在两台电脑上被修改；两个值都会保留，直到您选择正确的值并填写原因。双击可打开表单。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/sync/panel.py" line="134"/>
        <source>entries {0}–{1}</source>
        <translation>条目 {0}–{1}</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/sync/panel.py" line="157"/>
        <source>entry {0}#{1}</source>
        <translation>条目 {0}#{1}</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/sync/panel.py" line="159"/>
        <source>query #{0}</source>
        <translation>质疑 #{0}</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/sync/panel.py" line="161"/>
        <source>record {0}</source>
        <translation>记录 {0}</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/sync/panel.py" line="162"/>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/sync/panel.py" line="162"/>
        <source>not yet</source>
        <translation>尚未</translation>
    </message>
</context>
<context>
    <name>SyncWording</name>
    <message>
        <location filename="../../desktop_crf/ui/sync/indicator.py" line="43"/>
        <source>Demo site: never syncs</source>
        <translation>演示中心：从不同步</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/sync/indicator.py" line="44"/>
        <source>Not connected to a sync server</source>
        <translation>未连接同步服务器</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/sync/indicator.py" line="45"/>
        <source>Sync: checking…</source>
        <translation>同步：检查中…</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/sync/indicator.py" line="46"/>
        <source>● Syncing…</source>
        <translation>● 正在同步…</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/sync/indicator.py" line="47"/>
        <source>● Online</source>
        <translation>● 在线</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/sync/indicator.py" line="48"/>
        <source>○ Offline</source>
        <translation>○ 离线</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/sync/indicator.py" line="49"/>
        <source>▲ Sync stopped</source>
        <translation>▲ 同步已停止</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/sync/indicator.py" line="50"/>
        <source>▲ Update required</source>
        <translation>▲ 需要更新</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/sync/indicator.py" line="55"/>
        <source>{0} pending</source>
        <translation>{0} 条待同步</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/sync/indicator.py" line="57"/>
        <source>last sync {0}</source>
        <translation>上次同步 {0}</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/sync/indicator.py" line="59"/>
        <source>never synced</source>
        <translation>从未同步</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/sync/indicator.py" line="61"/>
        <source>1 conflict</source>
        <translation>1 个冲突</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/sync/indicator.py" line="63"/>
        <source>{0} conflicts</source>
        <translation>{0} 个冲突</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/sync/indicator.py" line="65"/>
        <source>{0} refused</source>
        <translation>{0} 个被拒收</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/sync/indicator.py" line="67"/>
        <source>{0} set aside</source>
        <translation>{0} 条已搁置</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/sync/indicator.py" line="69"/>
        <source>1 open query</source>
        <translation>1 个未解决质疑</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/sync/indicator.py" line="71"/>
        <source>{0} open queries</source>
        <translation>{0} 个未解决质疑</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/sync/indicator.py" line="78"/>
        <source>The demonstration site&apos;s made-up data is never sent anywhere.</source>
        <translation>演示中心的虚构数据不会发送到任何地方。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/sync/indicator.py" line="81"/>
        <source>Server: {0}</source>
        <translation>服务器：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/sync/indicator.py" line="82"/>
        <source>Changes waiting to be sent: {0}</source>
        <translation>等待发送的更改：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/sync/indicator.py" line="84"/>
        <source>Last success: {0}</source>
        <translation>上次成功：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/sync/indicator.py" line="87"/>
        <source>Last error ({0}): {1}</source>
        <translation>上次错误（{0}）：{1}</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/sync/indicator.py" line="102"/>
        <source>Update required: the sync server is older than this app and must be updated; ask your data manager. Until then everything you enter is kept on this computer.</source>
        <translation>需要更新：同步服务器的版本比本应用旧，必须先更新服务器；请联系您的数据管理员。在此之前，您录入的所有内容都会保存在这台电脑上。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/sync/indicator.py" line="107"/>
        <source>Update required: the sync server needs a newer version of this app. Ask for the update; until then everything you enter is kept on this computer.</source>
        <translation>需要更新：同步服务器要求使用本应用的新版本。请申请更新；在此之前，您录入的所有内容都会保存在这台电脑上。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/sync/indicator.py" line="112"/>
        <source>A newer version of this app ({0}) is recommended. Ask for the update when convenient; sync goes on meanwhile.</source>
        <translation>建议使用本应用的新版本（{0}）。请在方便时申请更新；在此期间同步照常进行。</translation>
    </message>
</context>
<context>
    <name>TasksTableModel</name>
    <message>
        <location filename="../../desktop_crf/ui/monitor/tasks_view.py" line="35"/>
        <source>Task</source>
        <translation>任务</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/monitor/tasks_view.py" line="36"/>
        <source>Subject</source>
        <translation>受试者</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/monitor/tasks_view.py" line="37"/>
        <source>Where</source>
        <translation>位置</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/monitor/tasks_view.py" line="38"/>
        <source>Details</source>
        <translation>详情</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/monitor/tasks_view.py" line="39"/>
        <source>Age</source>
        <translation>时长</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/monitor/tasks_view.py" line="81"/>
        <source>{0} values</source>
        <translation>{0}个数据项</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/monitor/tasks_view.py" line="83"/>
        <source>{0} forms</source>
        <translation>{0}个表单</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/monitor/tasks_view.py" line="85"/>
        <source>due {0}</source>
        <translation>截止 {0}</translation>
    </message>
</context>
<context>
    <name>TasksView</name>
    <message>
        <location filename="../../desktop_crf/ui/monitor/tasks_view.py" line="129"/>
        <source>{0} tasks wait for you. Double-click one to go there.</source>
        <translation>有{0}项任务等待您处理。双击可前往。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/monitor/tasks_view.py" line="131"/>
        <source>Nothing waits for you.</source>
        <translation>暂无待办任务。</translation>
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
        <location filename="../../desktop_crf/ui/shell/unlock_window.py" line="43"/>
        <source>desktop-crf — unlock</source>
        <translation>desktop-crf——解锁</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/shell/unlock_window.py" line="51"/>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/shell/unlock_window.py" line="89"/>
        <source>The site was locked. Enter your password to continue.</source>
        <translation>中心已锁定。请输入密码继续。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/shell/unlock_window.py" line="96"/>
        <source>user name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/shell/unlock_window.py" line="100"/>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/shell/unlock_window.py" line="101"/>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/shell/unlock_window.py" line="117"/>
        <source>Unlock</source>
        <translation>解锁</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/shell/unlock_window.py" line="129"/>
        <source>Demo site: sign in as admin, nurse, investigator or monitor with the password demo-password.</source>
        <translation>演示中心：以 admin、nurse、investigator 或 monitor 登录，密码为 demo-password。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/shell/unlock_window.py" line="144"/>
        <source>desktop-crf</source>
        <translation>desktop-crf</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/shell/unlock_window.py" line="147"/>
        <source>DEMO — {0} (demonstration data, never synced)</source>
        <translation>演示——{0}（演示数据，从不同步）</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/shell/unlock_window.py" line="153"/>
        <source>Enter your user name and password.</source>
        <translation>请输入用户名和密码。</translation>
    </message>
</context>
<context>
    <name>WelcomePage</name>
    <message>
        <location filename="../../desktop_crf/ui/tablet/pages.py" line="118"/>
        <source>Welcome</source>
        <translation>欢迎</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/tablet/pages.py" line="119"/>
        <source>Please choose the language of the questionnaire.</source>
        <translation>请选择问卷的语言。</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/ui/tablet/pages.py" line="122"/>
        <source>This questionnaire is for: {0}</source>
        <translation>本问卷的填写人：{0}</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <location filename="../../desktop_crf/app.py" line="65"/>
        <source>Open a site</source>
        <translation>打开中心</translation>
    </message>
    <message>
        <location filename="../../desktop_crf/app.py" line="75"/>
        <source>No desktop-crf site was found in {0}.</source>
        <translation>在 {0} 中未找到 desktop-crf 中心。</translation>
    </message>
</context>
</TS>
